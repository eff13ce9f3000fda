import { SipClient } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { parseTransferOptions } from '../../src/call/transfer-options.js';

const sipClient = new SipClient('http://127.0.0.1:1', 'k', 's');
const base = { sipClient, roomName: 'r', participantIdentity: 'caller' };

describe('parseTransferOptions', () => {
  it('fills the defaults', () => {
    const config = parseTransferOptions({ ...base, destinations: { billing: 'tel:+15105550100' } });
    expect(config).toMatchObject({
      destinations: { billing: 'tel:+15105550100' },
      playDialtone: false,
      playoutTimeoutMs: 20_000,
      drainMs: 500,
      requestTimeoutMs: 30_000,
      envCredentials: undefined,
    });
  });

  it('keeps a copy of the destinations, so a later change of the caller object changes nothing', () => {
    const destinations: Record<string, string> = { billing: 'tel:+15105550100' };
    const config = parseTransferOptions({ ...base, destinations });
    destinations.billing = 'tel:+19005550100';
    expect(config.destinations.billing).toBe('tel:+15105550100');
  });

  it.each([
    ['sip:support@pbx.example.com'],
    ['sips:support@pbx.example.com:5061'],
    ['tel:+442071838750'],
  ])('accepts the destination %s', (uri) => {
    expect(() => parseTransferOptions({ ...base, destinations: { x: uri } })).not.toThrow();
  });

  it.each([
    [
      { billing: '+15105550100' },
      'expected "tel:+<country code and number>" or "sip:<user>@<host>", got "+15105550100"',
    ],
    [{ billing: 'tel:5550100' }, 'got "tel:5550100"'],
    [{}, 'expected at least one destination'],
    [{ ' ': 'tel:+15105550100' }, 'a destination name is empty'],
  ])('rejects destinations %j', (destinations, message) => {
    expect(() => parseTransferOptions({ ...base, destinations })).toThrow(message);
  });

  it('names a misspelt option, and what is missing outside a job', () => {
    const destinations = { billing: 'tel:+15105550100' };
    expect(() =>
      parseTransferOptions({ ...base, destinations, drain: 1 } as unknown as Parameters<
        typeof parseTransferOptions
      >[0]),
    ).toThrow('transferTool: invalid options — unknown option `drain`: did you mean `drainMs`?');
    expect(() => parseTransferOptions({ destinations, sipClient })).toThrow(
      'transferTool: no room outside a LiveKit job — pass `roomName`',
    );
    expect(() => parseTransferOptions({ destinations, sipClient, roomName: 'r' })).toThrow(
      'transferTool: no caller to transfer outside a LiveKit job — pass `participantIdentity`',
    );
  });
});
