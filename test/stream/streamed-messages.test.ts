import { describe, expect, it } from 'vitest';
import { StreamedMessages } from '../../src/stream/streamed-messages.js';

describe('StreamedMessages', () => {
  it('returns what the caller has not heard of a message, once', () => {
    const messages = new StreamedMessages();
    messages.see('m');
    messages.said('m', 'Your order ');
    expect(messages.complete('m', 'Your order shipped.')).toBe('shipped.');
    expect(messages.isComplete('m')).toBe(true);
    expect(messages.complete('m', 'Your order shipped.')).toBeUndefined();
  });

  it('adds nothing for a silent node or a message rewritten after streaming', () => {
    const messages = new StreamedMessages();
    messages.see('silent');
    expect(messages.complete('silent', 'internal notes')).toBe('');
    messages.see('rewritten');
    messages.said('rewritten', 'Hello');
    expect(messages.complete('rewritten', 'Goodbye')).toBe('');
  });

  it('holds a whole message from an update until its first chunk', () => {
    const messages = new StreamedMessages();
    const whole = { id: 'm', content: 'Hi there' };
    messages.hold('m', whole);
    expect(messages.has('m')).toBe(false);
    expect(messages.held('m')).toBe(whole);
  });

  it('reports usage once per message, and always for a message without id', () => {
    const messages = new StreamedMessages();
    expect([messages.firstUsage('m'), messages.firstUsage('m')]).toEqual([true, false]);
    expect([messages.firstUsage(undefined), messages.firstUsage(undefined)]).toEqual([true, true]);
  });
});
