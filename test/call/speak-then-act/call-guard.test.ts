import { describe, expect, it } from 'vitest';
import {
  endedCall,
  endUnderWay,
  markCallEnding,
} from '../../../src/call/speak-then-act/call-guard.js';

describe('the once-per-session call-end guard', () => {
  it('keeps an end that ended the call, per session and kind', async () => {
    const session = {};
    markCallEnding(session, 'transfer', Promise.resolve(true));
    expect(endUnderWay(session, 'transfer')).toBe(true);
    await expect(endedCall(session, 'transfer')).resolves.toBe(true);
    await Promise.resolve();
    // still there once its outcome is known: a transfer that went through is not forgotten
    expect(endUnderWay(session, 'transfer')).toBe(true);
    expect([endUnderWay(session, 'hangup'), endUnderWay({}, 'transfer')]).toEqual([false, false]);
    await expect(endedCall(session, 'hangup')).resolves.toBe(false);
  });

  it.each([
    ['resolves false', () => Promise.resolve(false)],
    ['resolves undefined (a goodbye kept up)', () => Promise.resolve(undefined)],
    ['rejects', () => Promise.reject(new Error('cancelled'))],
  ])('forgets an end that %s, so a later one may act', async (_name, ending) => {
    const session = {};
    markCallEnding(session, 'hangup', ending());
    await expect(endedCall(session, 'hangup')).resolves.toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(endUnderWay(session, 'hangup')).toBe(false);
  });
});
