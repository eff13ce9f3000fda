import { SipClient } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { SIP_BRIDGE_GONE, startSipStub } from '../../../fixtures/sip-server.js';
import type { StubResponse } from '../../../fixtures/twirp-stub.js';
import {
  assertSendsOnce,
  sipClientFor,
  sipParticipantIn,
} from '../../../src/call/livekit-api/sip-client.js';
import { CLOUD_URL, routeCloudTo } from '../../helpers/cloud-host.js';

const room = (...participants: [string, number][]) => ({
  remoteParticipants: new Map(participants.map(([identity, kind]) => [identity, { kind }])),
});

describe('sipParticipantIn', () => {
  it('finds the one remote SIP participant (kind 3), whatever else is in the room', () => {
    expect(sipParticipantIn('t', room(['agent-observer', 0], ['sip_+1555', 3]))).toBe('sip_+1555');
  });

  it.each([
    ['no SIP participant', room(['web', 0]), 'the room has no SIP participants'],
    ['two SIP participants', room(['a', 3], ['b', 3]), 'the room has 2 SIP participants'],
    ['no room', undefined, 'there is no LiveKit job room'],
  ])('throws with the fix when there is %s', (_name, given, found) => {
    expect(() => sipParticipantIn('transferTool', given)).toThrow(
      `transferTool: no caller to transfer (${found}) — pass \`participantIdentity\` (the SIP participant's identity)`,
    );
  });
});

describe('sipClientFor', () => {
  it('uses the given client, else builds one from the credentials', () => {
    const given = new SipClient('http://127.0.0.1:1', 'k', 's');
    expect(sipClientFor('t', given, undefined, undefined)).toBe(given);
    const built = sipClientFor('t', undefined, undefined, {
      url: 'http://127.0.0.1:1',
      apiKey: 'k',
      apiSecret: 's',
    });
    expect(built).toBeInstanceOf(SipClient);
    expect(built).not.toBe(given);
  });

  it('names the missing variables, never their values', () => {
    const saved = { ...process.env };
    try {
      delete process.env.LIVEKIT_URL;
      process.env.LIVEKIT_API_KEY = 'key-value-123';
      process.env.LIVEKIT_API_SECRET = 'secret-value-456';
      let message = '';
      try {
        sipClientFor('transferTool', undefined, undefined, undefined);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^transferTool: no LiveKit credentials .*LIVEKIT_URL is not set/);
      expect(message).not.toMatch(/key-value-123|secret-value-456/);
    } finally {
      process.env = saved;
    }
  });
});

describe('a transfer leaves once on LiveKit Cloud', () => {
  /** How many TransferSIPParticipant requests reached the stand-in for one call of `client`. */
  async function requestsSent(
    answer: StubResponse,
    client: (url: string, key: string, secret: string) => SipClient,
  ): Promise<number> {
    const sip = await startSipStub();
    const restore = routeCloudTo(sip.url);
    try {
      sip.respondWith(answer, answer, answer);
      const transfer = client(CLOUD_URL, sip.apiKey, sip.apiSecret).transferSipParticipant(
        'call-1',
        'caller',
        'tel:+15105550100',
        { timeout: 5 },
      );
      await expect(transfer).rejects.toBeDefined();
      return sip.requests.length;
    } finally {
      restore();
      await sip.close();
    }
  }

  it.each([
    ['a lost answer', 'drop' as const],
    ['a 503 (no SIP bridge answered the server)', SIP_BRIDGE_GONE],
  ])('after %s: one request, where a client that fails over sends three', async (_name, answer) => {
    // the stand-in is a cloud host to the SDK: its own client re-sends the transfer
    expect(await requestsSent(answer, (url, key, secret) => new SipClient(url, key, secret))).toBe(
      3,
    );
    const built = (url: string, apiKey: string, apiSecret: string) =>
      sipClientFor('t', undefined, undefined, { url, apiKey, apiSecret });
    expect(await requestsSent(answer, built)).toBe(1);
  });

  it('refuses a given client that fails over on a cloud host, naming the fix', () => {
    expect(() => assertSendsOnce('transferTool', new SipClient(CLOUD_URL, 'k', 's'))).toThrow(
      /^transferTool: `sipClient` fails over .* create it with `new SipClient\(url, key, secret, \{ failover: false \}\)`$/,
    );
    const once = new SipClient(CLOUD_URL, 'k', 's', { failover: false });
    expect(() => assertSendsOnce('transferTool', once)).not.toThrow();
    // a self-hosted server gets no failover from the SDK: nothing to refuse
    expect(() =>
      assertSendsOnce('t', new SipClient('https://sip.example.com', 'k', 's')),
    ).not.toThrow();
  });
});
