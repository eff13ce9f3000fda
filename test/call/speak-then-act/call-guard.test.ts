import { describe, expect, it } from 'vitest';
import { callEnding, markCallEnding } from '../../../src/call/speak-then-act/call-guard.js';

describe('the once-per-session call-end guard', () => {
  it('keeps an end that ended the call, per session and kind', async () => {
    const session = {};
    markCallEnding(session, 'transfer', Promise.resolve(true));
    await expect(callEnding(session, 'transfer')).resolves.toBe(true);
    await Promise.resolve();
    // still there once its outcome is known: a transfer that went through is not forgotten
    await expect(callEnding(session, 'transfer')).resolves.toBe(true);
    expect(callEnding(session, 'hangup')).toBeUndefined();
    expect(callEnding({}, 'transfer')).toBeUndefined();
  });

  it.each([
    ['resolves false', () => Promise.resolve(false)],
    ['resolves undefined (a goodbye kept up)', () => Promise.resolve(undefined)],
    ['rejects', () => Promise.reject(new Error('cancelled'))],
  ])('forgets an end that %s, so a later one may act', async (_name, ending) => {
    const session = {};
    markCallEnding(session, 'hangup', ending());
    await expect(callEnding(session, 'hangup')).resolves.toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(callEnding(session, 'hangup')).toBeUndefined();
  });
});
