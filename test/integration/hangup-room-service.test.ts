/**
 * Ending the call through a real RoomServiceClient against the local Twirp stand-in: request
 * shape, retries, "already gone" as success, and credential errors reported with their fix.
 */
import { once } from 'node:events';
import { log, voice } from '@livekit/agents';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type StubResponse, startRoomServiceStub } from '../../fixtures/room-service-server.js';
import { withTextSession, withTimeout } from '../../fixtures/session.js';
import { type HangupCallOptions, hangupCall } from '../../src/call/hangup.js';
import { useStandIn } from '../helpers/stand-in.js';

const ROOM = 'call-room-service';

const stub = useStandIn('hangup-room-service', startRoomServiceStub);
afterEach(() => {
  vi.restoreAllMocks();
});

/** Hangs up an idle text-mode session (nothing to wait for) with `options`. */
function hangUp(options: Omit<HangupCallOptions, 'session'> = {}) {
  const llm = new voice.testing.FakeLLM([]);
  return withTextSession({ llm }, ({ session }) =>
    withTimeout(
      hangupCall({ session, roomService: stub().client(), roomName: ROOM, ...options }),
      10_000,
      'hangupCall',
    ),
  );
}

/** Like {@link hangUp}, and waits for the hangup itself to close the session. */
function hangUpAndClose(options: Omit<HangupCallOptions, 'session'>) {
  const llm = new voice.testing.FakeLLM([]);
  return withTextSession({ llm }, async ({ session }) => {
    const closed = once(session, 'close');
    const info = await withTimeout(hangupCall({ session, ...options }), 10_000, 'hangupCall');
    const [close] = await withTimeout(closed, 10_000, 'the session to close');
    expect(close.reason).toBe(info.reason);
    return info;
  });
}

describe('deleting the room', () => {
  it('sends one DeleteRoom for the room, signed with the roomCreate grant', async () => {
    const info = await hangUp({ reason: 'done' });
    expect(info).toEqual({
      reason: 'done',
      roomName: ROOM,
      action: 'delete_room',
      playoutWaitMs: 0,
      drainMs: 0,
      interrupted: false,
      timedOut: false,
    });
    expect(stub().requests.map((r) => [r.method, r.body, r.grant?.roomCreate, r.status])).toEqual([
      ['DeleteRoom', { room: ROOM }, true, 200],
    ]);
  });

  it.each<[string, StubResponse[], number[]]>([
    ['a 503', [{ status: 503, code: 'unavailable' }], [503, 200]],
    ['a dropped connection', ['drop'], [0, 200]],
    ['two 500s', [{ status: 500 }, { status: 500 }], [500, 500, 200]],
    ['a 404 not_found (room already gone)', [{ status: 404, code: 'not_found' }], [404]],
  ])('succeeds after %s', async (_, responses, statuses) => {
    stub().respondWith(...responses);
    const info = await hangUp();
    expect(info.error).toBeUndefined();
    expect(stub().requests.map((r) => r.status)).toEqual(statuses);
  });

  it('gives up after 4 attempts and still ends the session', async () => {
    stub().respondWith(...Array<StubResponse>(4).fill({ status: 503 }));
    const info = await hangUpAndClose({ roomService: stub().client(), roomName: ROOM });
    expect(info.error?.message).toBe(
      'hangupCall: DeleteRoom failed after 4 attempt(s) (503) — check that LIVEKIT_URL points ' +
        'at a reachable LiveKit server',
    );
    expect(stub().requests).toHaveLength(4);
  });

  it.each<[string, StubResponse | undefined, string | undefined]>([
    ['a 401 from the server', { status: 401, code: 'unauthenticated' }, undefined],
    ['a token signed with the wrong secret', undefined, 'not-the-secret'],
  ])('reports %s with its fix, logs it, and does not retry', async (_, response, apiSecret) => {
    if (response) stub().respondWith(response);
    const logError = vi.spyOn(log(), 'error');
    const info = await hangUp({ roomService: stub().client({ apiSecret }) });
    expect(info.error?.message).toBe(
      'hangupCall: LiveKit rejected the DeleteRoom request (401 unauthenticated) — check ' +
        'LIVEKIT_API_KEY and LIVEKIT_API_SECRET (or the credentials of `roomService`) and that ' +
        'the key has the roomAdmin and roomCreate grants',
    );
    // the message and its cause, not the error objects (see test/integration/hangup-deadline)
    expect(logError).toHaveBeenCalledWith(
      { error: info.error?.message, cause: expect.stringMatching(/\S/) },
      'could not end the call; the session shuts down anyway',
    );
    expect(stub().requests).toHaveLength(1);
  });

  it('treats a 404 that is not not_found as an error (not a LiveKit server)', async () => {
    stub().respondWith({ status: 404, code: 'bad_route' });
    const info = await hangUp();
    expect(info.error?.message).toMatch(
      /^hangupCall: DeleteRoom failed after 1 attempt\(s\) \(404\)/,
    );
  });
});

describe('other actions', () => {
  it('removes the given participant and leaves the room up', async () => {
    stub().respondWith({ status: 404, code: 'not_found' });
    const info = await hangUp({ action: 'remove_participant', identity: 'sip-caller' });
    expect([info.action, info.error]).toEqual(['remove_participant', undefined]);
    const [request] = stub().requests;
    expect([request?.method, request?.body]).toEqual([
      'RemoveParticipant',
      { room: ROOM, identity: 'sip-caller' },
    ]);
    expect([request?.grant?.roomAdmin, request?.grant?.room]).toEqual([true, ROOM]);
    expect(stub().requests).toHaveLength(1);
  });

  it('runs a custom action with the hangup info and calls no API', async () => {
    const action = vi.fn(async () => {});
    const info = await hangUp({ action, reason: 'transfer' });
    expect(action).toHaveBeenCalledWith({ ...info });
    expect(info.action).toBe('custom');
    expect(stub().requests).toEqual([]);
  });

  it('reports a failing custom action and logs onHangup errors without throwing', async () => {
    const logError = vi.spyOn(log(), 'error');
    const onHangup = vi.fn(() => {
      throw new Error('onHangup broke');
    });
    const action = async () => {
      throw new Error('transfer failed');
    };
    const info = await hangUp({ action, onHangup });
    expect(info.error?.message).toBe('transfer failed');
    expect(onHangup).toHaveBeenCalledTimes(1);
    expect(logError).toHaveBeenCalledWith(
      { callback: 'onHangup', error: 'onHangup broke' },
      'a call action callback failed',
    );
  });

  it("calls no API with 'none' but still ends the session", async () => {
    const info = await hangUpAndClose({ action: 'none', reason: 'voicemail' });
    expect([info.action, info.roomName]).toEqual(['none', undefined]);
    expect(stub().requests).toEqual([]);
  });
});
