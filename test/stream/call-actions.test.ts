import { AIMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import type { Dict } from '../../src/graph/message-fields.js';
import { CallActionCollector, DEFAULT_END_REASONS } from '../../src/stream/call-actions.js';

/** A LangChain message as the plain fields the classifier reads. */
const fields = (message: AIMessage) => message as unknown as Dict;

describe('CallActionCollector', () => {
  it.each([
    ['a text reason', { type: 'end', reason: ' resolved ' }, 'resolved'],
    ['a numeric reason, written out', { type: 'end', reason: 12345 }, '12345'],
    [
      'an object reason, replaced by the default',
      { type: 'end', reason: { a: 1 } },
      DEFAULT_END_REASONS.signal,
    ],
    [
      'a blank reason, replaced by the default',
      { type: 'end', reason: '  ' },
      DEFAULT_END_REASONS.signal,
    ],
  ])('ends the call on a signal with %s', (_name, signal, reason) => {
    expect(new CallActionCollector().fromSignal(signal)).toEqual([
      { name: 'end_call', trigger: 'signal', reason },
    ]);
  });

  it('ignores custom values that are not end signals', () => {
    const actions = new CallActionCollector();
    expect(actions.fromSignal('Please hold.')).toEqual([]);
    expect(actions.fromSignal({ type: 'progress' })).toEqual([]);
    expect(actions.ended).toBe(false);
  });

  it('ends the call from an end_call the model broke (invalid_tool_calls)', () => {
    const message = new AIMessage({
      id: 'm',
      content: 'Goodbye!',
      invalid_tool_calls: [
        {
          id: 'c1',
          name: 'end_call',
          args: '{"reason": "bye',
          error: 'bad JSON',
          type: 'invalid_tool_call',
        },
      ],
    });
    expect(new CallActionCollector().fromMessage(fields(message), 'm')).toEqual([
      { name: 'end_call', trigger: 'tool', reason: DEFAULT_END_REASONS.tool, toolCallId: 'c1' },
    ]);
  });

  it('reads the reason of a streamed call once its arguments are complete', () => {
    const actions = new CallActionCollector();
    actions.addChunks([{ index: 0, id: 'c1', name: 'end_call', args: '{"rea' }], 'm');
    actions.addChunks([{ index: 0, args: 'son": "done"}' }], 'm');
    expect(actions.messageStarted('m')).toEqual([]);
    expect(actions.messageStarted('next')).toEqual([
      { name: 'end_call', trigger: 'tool', reason: 'done', toolCallId: 'c1' },
    ]);
  });

  it('takes the whole message over its streamed fragments', () => {
    const actions = new CallActionCollector();
    actions.addChunks([{ index: 0, id: 'c1', name: 'end_call', args: '{"rea' }], 'm');
    const whole = new AIMessage({
      id: 'm',
      content: '',
      tool_calls: [{ id: 'c1', name: 'end_call', args: { reason: 'exact' }, type: 'tool_call' }],
    });
    expect(actions.fromMessage(fields(whole), 'm')).toEqual([
      { name: 'end_call', trigger: 'tool', reason: 'exact', toolCallId: 'c1' },
    ]);
    expect(actions.flush()).toEqual([]);
  });

  it('carries one call-ending action per run: the first wins', () => {
    const actions = new CallActionCollector();
    expect(actions.fromNode('goodbye')).toHaveLength(1);
    expect(actions.fromSignal('end')).toEqual([]);
    expect(actions.ended).toBe(true);
  });

  it('ignores tool calls that are not call actions', () => {
    const message = new AIMessage({
      id: 'm',
      content: '',
      tool_calls: [{ id: 'c1', name: 'lookup_order', args: {}, type: 'tool_call' }],
    });
    const actions = new CallActionCollector();
    actions.addChunks([{ index: 0, id: 'c2', name: 'lookup_order', args: '{}' }], 'x');
    expect([...actions.fromMessage(fields(message), 'm'), ...actions.flush()]).toEqual([]);
  });
});
