import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { forwardDtmf } from '../../src/index.js';

/** An emitter, as a session is, that records generateReply calls; interrupt() succeeds. */
function fakeSession() {
  const replies: unknown[] = [];
  const session = Object.assign(new EventEmitter(), {
    generateReply: (options: { userInput: { textContent?: string; extra?: unknown } }) => {
      replies.push([options.userInput.textContent, options.userInput.extra]);
    },
    interrupt: () => ({ await: Promise.resolve() }),
  });
  return { replies, session: session as never };
}

describe('forwardDtmf', () => {
  it('submits on the submit key, without it, and stops listening on stop()', () => {
    const room = new EventEmitter();
    const { replies, session } = fakeSession();
    const keys = forwardDtmf({ session, room, submitKey: '*' });
    for (const key of '12*') room.emit('dtmfReceived', 0, key);
    expect(replies).toEqual([['12', { dtmf: true }]]);
    keys.stop();
    expect(room.listenerCount('dtmfReceived')).toBe(0);
  });

  it('ignores a submit key with nothing before it', () => {
    const room = new EventEmitter();
    const { replies, session } = fakeSession();
    forwardDtmf({ session, room });
    room.emit('dtmfReceived', 11, '#');
    expect(replies).toEqual([]);
  });

  it.each([
    [{ submitKey: '##' }, '`submitKey`: expected one phone key'],
    [{ interDigitTimeoutMs: 0 }, '`interDigitTimeoutMs`'],
  ])('rejects %j', (options, message) => {
    const { session } = fakeSession();
    expect(() => forwardDtmf({ session, room: new EventEmitter(), ...options })).toThrow(message);
  });

  it('needs a room outside a job', () => {
    const { session } = fakeSession();
    expect(() => forwardDtmf({ session })).toThrow('forwardDtmf: no room outside a LiveKit job');
  });
});
