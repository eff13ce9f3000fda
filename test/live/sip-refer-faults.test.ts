/**
 * A real phone line, faults around a transfer and an outbound call, answered by the real
 * livekit-server and SIP bridge: a caller gone from the room when the transfer is asked for, a
 * SIP caller whose bridge is gone, and a phone that never answers an outbound call. The answers
 * are the ones the fast tests' SIP stand-in gives (fixtures/sip-server.ts), so the package's
 * words for them (test/integration/transfer-text.test.ts) are the words a real call gets.
 */
import { Room } from '@livekit/rtc-node';
import { AccessToken, type TwirpError } from 'livekit-server-sdk';
import { afterEach, expect, it } from 'vitest';
import { SIP_BRIDGE_GONE, SIP_PARTICIPANT_GONE } from '../../fixtures/sip-server.js';
import type { StubResponse } from '../../fixtures/twirp-stub.js';
import { PERSON_URI } from '../../lab/agent/lines.js';
import { labContext, roomService } from '../../lab/session.js';
import { dialOut, sipClient } from '../../lab/sip/line.js';
import { CALLER_PORTS } from '../../lab/sip/phone.js';
import { describeTransferFailure } from '../../src/call/transfer-failure.js';
import { callerPhone } from './caller-phone.js';

const lab = labContext();
const phone = callerPhone(lab);
const rooms: string[] = [];
afterEach(async () => {
  // a room a failed dial never created is not there to delete
  for (const room of rooms.splice(0))
    await roomService(lab)
      .deleteRoom(room)
      .catch(() => {});
});

/** What the real server answered a transfer with, as livekit-server-sdk hands it over. */
async function transferError(room: string, identity: string): Promise<TwirpError> {
  const error = await sipClient(lab)
    .transferSipParticipant(room, identity, PERSON_URI, { timeout: 10 })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  if (!error) throw new Error(`the transfer of ${identity} in ${room} went through`);
  return error as TwirpError;
}

/** The stand-in's answer for an error livekit-server-sdk raised. */
const asStubbed = (error: TwirpError): StubResponse => ({
  status: error.status,
  code: error.code as string,
  msg: error.message,
});

it('a caller gone from the room when the transfer starts: 404, as the stand-in answers', async () => {
  const room = `refer-gone-${process.pid}`;
  rooms.push(room);
  await roomService(lab).createRoom({ name: room });
  const error = await transferError(room, 'sip_caller');
  expect(asStubbed(error)).toEqual(SIP_PARTICIPANT_GONE);
  expect(describeTransferFailure(error)).toEqual({
    words: 'our phone system could not find this call to transfer',
    fault: 'ours',
  });
});

it('a SIP caller whose bridge is gone: 503 "no response from servers", as the stand-in answers', async () => {
  // what the server sees when the bridge that carried a call stopped: a SIP participant (its
  // sip.callID attribute) whose call no bridge answers for — the lab's own bridge keeps running
  const room = `refer-no-bridge-${process.pid}`;
  rooms.push(room);
  const token = new AccessToken(lab.LIVEKIT_API_KEY, lab.LIVEKIT_API_SECRET, {
    identity: 'sip_orphan',
    attributes: { 'sip.callID': 'SCL_nobridge' },
  });
  token.addGrant({ roomJoin: true, room });
  const orphan = new Room();
  await orphan.connect(lab.LIVEKIT_URL, await token.toJwt());
  try {
    const error = await transferError(room, 'sip_orphan');
    expect(asStubbed(error)).toEqual(SIP_BRIDGE_GONE);
    expect(describeTransferFailure(error)).toEqual({
      words: 'our phone system could not be reached',
      fault: 'ours',
    });
  } finally {
    await orphan.disconnect();
  }
});

it('a phone that never answers an outbound call: the dial fails at its ringing timeout, naming what it waited for', async () => {
  const sip = sipClient(lab);
  const trunk = await sip.createSipOutboundTrunk(
    'lab unanswered',
    `127.0.0.1:${CALLER_PORTS.sip}`,
    ['+15550001'],
  );
  const room = `outbound-unanswered-${process.pid}`;
  rooms.push(room);
  try {
    const dialled = dialOut(lab, {
      trunkId: trunk.sipTrunkId,
      to: 'caller',
      room,
      identity: 'callee',
      ringingTimeoutS: 5,
    });
    // livekit-server v1.13.5: HTTP 408, code canceled, no SIP status
    await expect(dialled).rejects.toThrow(
      `lab: the outbound call to caller into ${room} was not answered (ringing timeout 5 s; LiveKit answered 408 canceled: twirp error unknown: sip request timed out)`,
    );
    // the phone rang, and the bridge gave up on it (CANCEL): it never answered
    await phone().waitFor(
      'the ringing call to be cancelled',
      () => phone().eventsOf('CALL_CLOSED').length > 0,
    );
    expect(phone().eventsOf('CALL_ESTABLISHED')).toEqual([]);
    expect(phone().eventsOf('CALL_INCOMING')).toHaveLength(1);
  } finally {
    await sip.deleteSipTrunk(trunk.sipTrunkId);
  }
});
