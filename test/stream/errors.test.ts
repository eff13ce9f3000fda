import { describe, expect, it } from 'vitest';
import { finalError, GraphRunError, graphError } from '../../src/stream/errors.js';
import { INTERRUPT_NEEDS_CHECKPOINTER } from '../../src/stream/interrupts.js';

const named = (name: string, message: string, fields: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { name }, fields);

describe('graphError', () => {
  it('names the node that raised the error, and may be retried while nothing was said', () => {
    const error = graphError(
      named('Error', 'database is down', { pregelTaskId: 't1' }),
      new Map([['t1', 'lookup']]),
      true,
    );
    expect([error.message, error.retryable]).toEqual([
      'LangGraph run failed in node "lookup": Error: database is down',
      true,
    ]);
  });

  it('is never retried after something was said', () => {
    expect(graphError(new Error('boom'), new Map(), false).retryable).toBe(false);
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
