import { describe, expect, it } from 'vitest';
import {
  CALLER_HUNG_UP,
  decideEnding,
  type EndingClues,
  errorText,
  ROOM_CLOSED,
} from '../../../src/call/report/report-ending.js';

const graphEnd = {
  ending: { endedBy: 'graph' as const, reason: 'bye', trigger: 'tool' as const },
  at: 10,
};
const appEnd = { ending: { endedBy: 'app' as const, reason: 'max duration' }, at: 20 };
const closed = (reason: string, error?: unknown) => ({
  reason,
  ...(error !== undefined && { error }),
});

describe('decideEnding', () => {
  it.each<[string, EndingClues, unknown]>([
    ['a hangup', { ended: [graphEnd], close: closed('bye') }, graphEnd.ending],
    ['the first of two ends', { ended: [appEnd, graphEnd], close: closed('x') }, graphEnd.ending],
    [
      'a hangup the caller hung up during',
      { ended: [graphEnd], callerLeftAt: 15, close: closed('participant_disconnected') },
      graphEnd.ending,
    ],
    [
      'a caller who left before the app hung up',
      { ended: [appEnd], callerLeftAt: 15, close: closed('max duration') },
      { endedBy: 'caller', reason: CALLER_HUNG_UP },
    ],
    [
      'the caller leaving the room',
      { ended: [], callerLeftAt: 15, close: closed('user_initiated') },
      { endedBy: 'caller', reason: CALLER_HUNG_UP },
    ],
    [
      'a participant_disconnected close',
      { ended: [], close: closed('participant_disconnected') },
      { endedBy: 'caller', reason: CALLER_HUNG_UP },
    ],
    [
      'an error close',
      { ended: [], close: closed('error', { type: 'llm_error', error: new Error('boom') }) },
      { endedBy: 'error', reason: 'boom' },
    ],
    [
      'the room closing',
      { ended: [], roomClosedAt: 5, close: closed('user_initiated') },
      { endedBy: 'job_shutdown', reason: ROOM_CLOSED },
    ],
    [
      'a job_shutdown close',
      { ended: [], close: closed('job_shutdown') },
      { endedBy: 'job_shutdown', reason: 'job_shutdown' },
    ],
    [
      'session.close()',
      { ended: [], close: closed('user_initiated') },
      { endedBy: 'session_closed', reason: 'user_initiated' },
    ],
    [
      'a shutdown without a reason',
      { ended: [], close: closed('') },
      { endedBy: 'session_closed', reason: 'the session was closed' },
    ],
  ])('%s', (_name, clues, expected) => {
    expect(decideEnding(clues).ending).toEqual(expected);
  });

  it('names the recorded end it comes from', () => {
    expect(decideEnding({ ended: [appEnd, graphEnd], close: closed('x') }).from).toBe(graphEnd);
    expect(decideEnding({ ended: [], close: closed('x') }).from).toBeUndefined();
  });
});

describe('errorText', () => {
  it.each([
    [{ type: 'llm_error', error: new Error('graph failed') }, 'graph failed'],
    [new Error('plain'), 'plain'],
    ['text', 'text'],
    [null, 'an unrecoverable error closed the session'],
    [{ error: new Error('') }, 'an unrecoverable error closed the session'],
  ])('%j → %s', (error, expected) => {
    expect(errorText(error)).toBe(expected);
  });
});
