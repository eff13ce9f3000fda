import { describe, expect, it } from 'vitest';
import {
  deadlineError,
  finalError,
  GraphRunError,
  gapError,
  graphError,
  isTransientRunError,
} from '../../src/stream/errors.js';
import { INTERRUPT_NEEDS_CHECKPOINTER } from '../../src/stream/interrupts.js';

const named = (name: string, message: string, fields: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { name }, fields);

describe('graphError', () => {
  it('names the node that raised the error; an error of your own code is not retried', () => {
    const error = graphError(
      named('Error', 'database is down', { pregelTaskId: 't1' }),
      new Map([['t1', 'lookup']]),
      true,
    );
    expect([error.message, error.retryable]).toEqual([
      'LangGraph run failed in node "lookup": Error: database is down',
      false,
    ]);
  });

  it('is retried for a failure a retry can fix, only while nothing was said', () => {
    const unavailable = named('Error', 'model overloaded', { status: 503 });
    expect(graphError(unavailable, new Map(), true).retryable).toBe(true);
    expect(graphError(unavailable, new Map(), false).retryable).toBe(false);
  });

  it('is never retried for errors a retry cannot fix', () => {
    const error = graphError(named('GraphRecursionError', 'limit 25'), new Map(), true);
    expect(error.retryable).toBe(false);
  });

  it('says how to give a graph that pauses a checkpointer', () => {
    const error = graphError(named('GraphValueError', 'No checkpointer set'), new Map(), true);
    expect([error.message, error.retryable]).toEqual([INTERRUPT_NEEDS_CHECKPOINTER, false]);
  });

  it('takes a thrown non-error as its message', () => {
    expect(graphError('plain string', new Map(), true).message).toBe(
      'LangGraph run failed: Error: plain string',
    );
  });
});

describe('finalError', () => {
  it('is not retryable for agents-js, counts the attempts and keeps the cause', () => {
    const cause = new Error('refused');
    const error = finalError(new GraphRunError('LangGraph run failed', true, { cause }), 3);
    expect([error.message, error.retryable, error.cause]).toEqual([
      'LangGraph run failed (after 3 attempts)',
      false,
      cause,
    ]);
    expect(finalError(new Error('once'), 1).message).toBe('once');
  });
});

describe('isTransientRunError', () => {
  const withCode = (code: string) => Object.assign(new Error('connect failed'), { code });
  it.each([
    ['a refused connection', withCode('ECONNREFUSED'), true],
    ['an undici socket error', withCode('UND_ERR_SOCKET'), true],
    ['fetch failing to reach the server', new TypeError('fetch failed'), true],
    ['a stream cut mid-way', new TypeError('terminated'), true],
    ['a timeout', named('TimeoutError', 'timed out'), true],
    ['HTTP 429', named('Error', 'rate limited', { status: 429 }), true],
    ['HTTP 502 as statusCode', named('Error', 'bad gateway', { statusCode: 502 }), true],
    ['HTTP 503 on the response', named('Error', 'x', { response: { status: 503 } }), true],
    ['HTTP 400', named('Error', 'bad request', { status: 400 }), false],
    [
      'a connection failure as the cause',
      new Error('model call failed', { cause: withCode('ECONNRESET') }),
      true,
    ],
    ['an error of your own code', new Error('database is down'), false],
    ['a bug', new TypeError('orders.find is not a function'), false],
    ['an error you marked retryable', named('Error', 'flaky', { retryable: true }), true],
    [
      'a 503 you marked not retryable',
      named('Error', 'x', { status: 503, retryable: false }),
      false,
    ],
    ['a recursion limit', named('GraphRecursionError', 'limit'), false],
    ['a thrown string', 'oops', false],
  ])('%s: %s', (_name, error, transient) => {
    expect(isTransientRunError(error)).toBe(transient);
  });
});

describe('deadlineError', () => {
  it('names the deadline, the node still running and what to do; never retried', () => {
    const error = deadlineError(2000, 'lookup');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      'LangGraph run said nothing within 2000 ms (node "lookup" was still running) — a graph that ' +
        'needs longer should say something first ("One moment, let me check."), or raise ' +
        '`firstOutputTimeoutMs`',
    );
  });
});

describe('gapError', () => {
  it('names the gap, the node still running and what to do; never retried', () => {
    const error = gapError(10_000, 'lookup');
    expect(error.retryable).toBe(false);
    expect(error.message).toBe(
      'LangGraph run went silent for 10000 ms after it began to speak (node "lookup" was still ' +
        'running) — a graph that needs longer should say something again before the gap ends ' +
        '("Still checking, one more moment."), or raise `outputGapTimeoutMs`',
    );
  });
});
