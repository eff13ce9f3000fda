import { describe, expect, it } from 'vitest';
import { startRoomServiceStub } from '../../../fixtures/room-service-server.js';
import {
  deleteRoom,
  readEnvCredentials,
  removeParticipants,
} from '../../../src/call/livekit-api/room-service.js';
import { useStandIn } from '../../helpers/stand-in.js';

describe('readEnvCredentials', () => {
  it('reads the three variables', () => {
    const env = {
      LIVEKIT_URL: 'wss://x.livekit.cloud',
      LIVEKIT_API_KEY: 'k',
      LIVEKIT_API_SECRET: 's',
    };
    expect(readEnvCredentials('hangupTool', env)).toEqual({
      url: 'wss://x.livekit.cloud',
      apiKey: 'k',
      apiSecret: 's',
    });
  });

  it('names what is missing or malformed, and never a value', () => {
    const env = { LIVEKIT_URL: 'not a url', LIVEKIT_API_SECRET: 'TOP-SECRET-VALUE' };
    let message = '';
    try {
      readEnvCredentials('transferTool', env);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^transferTool: no LiveKit credentials/);
    expect(message).toContain('LIVEKIT_URL is not a URL');
    expect(message).toContain('LIVEKIT_API_KEY is not set');
    expect(message).not.toContain('TOP-SECRET-VALUE');
    expect(message).not.toContain('not a url');
  });
});

describe('RoomService requests', () => {
  const stub = useStandIn('RoomService requests', startRoomServiceStub);

  // the rule of a graph run's retries (isTransientRunError): 408, 429, 5xx, no answer at all
  it.each([408, 429, 503])('retries HTTP %i and succeeds', async (status) => {
    stub().respondWith({ status });
    await deleteRoom('hangupTool', stub().client(), 'call-1');
    expect(stub().requests.map((r) => r.status)).toEqual([status, 200]);
  });

  it('retries a server it cannot reach, then names the fix', async () => {
    const unreachable = stub().client();
    await stub().close();
    await expect(deleteRoom('hangupTool', unreachable, 'call-1')).rejects.toThrow(
      /DeleteRoom failed after 4 attempt\(s\) \(fetch failed\) — check that LIVEKIT_URL points at a reachable LiveKit server/,
    );
  });

  it('does not retry a request the server refused as malformed', async () => {
    stub().respondWith({ status: 400, code: 'malformed', msg: 'bad room' });
    await expect(deleteRoom('hangupTool', stub().client(), 'call-1')).rejects.toThrow(
      /DeleteRoom failed after 1 attempt\(s\) \(400\)/,
    );
    expect(stub().requests).toHaveLength(1);
  });

  it('takes a room that is already gone as done', async () => {
    stub().respondWith({ status: 404, code: 'not_found', msg: 'room not found' });
    await deleteRoom('hangupTool', stub().client(), 'call-1');
    expect(stub().requests).toHaveLength(1);
  });

  it('does not retry rejected credentials, and says what to check', async () => {
    await expect(
      deleteRoom('hangupTool', stub().client({ apiSecret: 'wrong'.repeat(8) }), 'call-1'),
    ).rejects.toThrow(/rejected the DeleteRoom request \(401.*check LIVEKIT_API_KEY/);
    expect(stub().requests).toHaveLength(1);
  });

  it('removes each participant in turn', async () => {
    await removeParticipants('hangupCall', stub().client(), 'call-1', ['sip-a', 'sip-b']);
    expect(stub().requests.map((r) => [r.method, r.body])).toEqual([
      ['RemoveParticipant', { room: 'call-1', identity: 'sip-a' }],
      ['RemoveParticipant', { room: 'call-1', identity: 'sip-b' }],
    ]);
  });
});
