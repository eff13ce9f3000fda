/**
 * A RoomService that never answers: the hangup gives up at `actionTimeoutMs` (all attempts
 * together), reports the failure once, and shuts the session down anyway; the logs hold messages,
 * never the API secret or a token. Through a real RoomServiceClient and the local stand-in.
 */
import { once } from 'node:events';
import { voice } from '@livekit/agents';
import { RoomServiceClient } from 'livekit-server-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startRoomServiceStub } from '../../fixtures/room-service-server.js';
import { withTextSession, withTimeout } from '../../fixtures/session.js';
import { type HangupCallOptions, hangupCall } from '../../src/call/hangup.js';
import { type CapturedLogs, captureLogs, JWT } from '../helpers/logs.js';
import { useStandIn } from '../helpers/stand-in.js';

const ROOM = 'call-hung-room-service';
const REPORT = 'could not end the call; the session shuts down anyway';

const stub = useStandIn('hangup-deadline', startRoomServiceStub);
let logs: CapturedLogs;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

/** Hangs up an idle text-mode session; returns the info and the close reason (how long it took is bench/deadlines.ts's). */
function hangUp(options: Omit<HangupCallOptions, 'session'>) {
  return withTextSession({ llm: new voice.testing.FakeLLM([]) }, async ({ session }) => {
    const closed = once(session, 'close');
    const info = await withTimeout(hangupCall({ session, ...options }), 30_000, 'hangupCall');
    const [close] = await withTimeout(closed, 10_000, 'the session to close');
    return { info, closeReason: (close as voice.CloseEvent).reason };
  });
}

/** The one error report, and no secret or token anywhere in the logs. */
function expectOneCleanReport(message: string | undefined): void {
  const reports = logs.records().filter((r) => r.level === 50);
  expect(reports.map((r) => [r.msg, r.error])).toEqual([[REPORT, message]]);
  const text = logs.text();
  expect(text).not.toContain(stub().apiSecret);
  expect(text).not.toMatch(JWT);
}

describe('a RoomService that never answers', () => {
  it('ends the hangup at the 10 s default, reports it once, and shuts the session down', async () => {
    stub().respondWith('hang', 'hang', 'hang', 'hang');
    const { info, closeReason } = await hangUp({
      roomService: stub().client(), // 5 s per request: 4 attempts took 20.7 s before the deadline
      roomName: ROOM,
      reason: 'caller said bye',
    });
    expect(info.error?.message).toBe(
      'hangupCall: the delete_room action did not finish within 10000 ms (`actionTimeoutMs`) — ' +
        'check that the server it calls is reachable (LIVEKIT_URL for LiveKit); a request ' +
        'already sent cannot be recalled and may still take effect',
    );
    expect(closeReason).toBe('caller said bye');
    expectOneCleanReport(info.error?.message);
    // the retries in between are warnings that carry the message, not the DOMException
    const retries = logs.records().filter((r) => r.msg === 'RoomService request failed, retrying');
    expect(retries.length).toBeGreaterThan(0);
    expect(retries.map((r) => [r.method, r.error, r.cause])).toEqual(
      retries.map(() => ['DeleteRoom', 'The operation was aborted due to timeout', undefined]),
    );
    expect(stub().requests.every((r) => r.method === 'DeleteRoom' && r.status === 0)).toBe(true);
  }, 30_000);

  it("bounds a roomService of the user's own, whatever its timeout", async () => {
    stub().respondWith('hang');
    // livekit-server-sdk's default request timeout, 60 s
    const roomService = new RoomServiceClient(stub().url, stub().apiKey, stub().apiSecret);
    const { info } = await hangUp({ roomService, roomName: ROOM, actionTimeoutMs: 1_000 });
    expect(info.error?.message).toMatch(
      /^hangupCall: the delete_room action did not finish within 1000 ms/,
    );
    expect(stub().requests).toHaveLength(1);
    expectOneCleanReport(info.error?.message);
  });
});
