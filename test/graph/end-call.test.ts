import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { describe, expect, it } from 'vitest';
import { customWritesOf } from '../../fixtures/graphs.js';
import { isEndSignal } from '../../src/graph/end-call.js';
import { END_CALL, endCall, endCallTool } from '../../src/index.js';

describe('endCall', () => {
  it.each([
    [{ reason: 'resolved' }, { type: 'end', reason: 'resolved' }],
    [undefined, { type: 'end' }],
  ])('writes %j to the custom stream as %j', async (options, expected) => {
    expect(await customWritesOf((config) => endCall(config, options))).toEqual([expected]);
  });

  it('does nothing outside a streamed run', async () => {
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('bye', async (_s, config) => {
        endCall(config, { reason: 'x' });
        return {};
      })
      .addEdge(START, 'bye')
      .addEdge('bye', END)
      .compile();
    await expect(graph.invoke({ messages: [] })).resolves.toEqual({ messages: [] });
    expect(() => endCall(undefined)).not.toThrow();
  });
});

describe('isEndSignal', () => {
  it.each([
    ['end', true],
    [{ type: 'end' }, true],
    [{ type: 'end', reason: 'r' }, true],
    ['End', false],
    ['the end', false],
    [{ type: 'progress' }, false],
    [null, false],
  ])('%j → %s', (value, expected) => {
    expect(isEndSignal(value)).toBe(expected);
  });
});

describe('endCallTool', () => {
  it('is a tool named end_call with an optional reason, for bindTools and ToolNode', async () => {
    expect(endCallTool.name).toBe(END_CALL);
    expect(endCallTool.description).toMatch(/Hang up the phone call/);
    await expect(endCallTool.invoke({ reason: 'caller said bye' })).resolves.toBe(
      'The call is ending (caller said bye). Do not say anything else.',
    );
    await expect(endCallTool.invoke({})).resolves.toBe(
      'The call is ending. Do not say anything else.',
    );
    await expect(endCallTool.invoke({ reason: 42 } as never)).rejects.toThrow();
  });
});
