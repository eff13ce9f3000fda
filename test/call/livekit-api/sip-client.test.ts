import { SipClient } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { sipClientFor, sipParticipantIn } from '../../../src/call/livekit-api/sip-client.js';

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
