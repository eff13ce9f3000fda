import { AIMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { DEFAULT_END_REASONS } from '../../src/graph/end-call.js';
import type { Dict } from '../../src/graph/message-fields.js';
import { actionArgs, CallActionCollector, isCallSignal } from '../../src/stream/call-actions.js';

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

  it.each([
    [
      'a transfer signal',
      { type: 'transfer', to: ' billing ', reason: 'refund' },
      { name: 'transfer_call', trigger: 'signal', to: 'billing', reason: 'refund' },
    ],
    [
      'a transfer signal without a destination (the LiveKit tool tells the graph)',
      { type: 'transfer' },
      { name: 'transfer_call', trigger: 'signal', to: '' },
    ],
    [
      'a key-press signal',
      { type: 'dtmf', digits: '12#' },
      { name: 'send_dtmf', trigger: 'signal', digits: '12#' },
    ],
    [
      'numeric keys, written out',
      { type: 'dtmf', digits: 42 },
      { name: 'send_dtmf', trigger: 'signal', digits: '42' },
    ],
  ])('turns %s into its action', (_name, signal, action) => {
    expect(new CallActionCollector().fromSignal(signal)).toEqual([action]);
  });

  it('turns whole, invalid and streamed transfer_call and send_dtmf calls into actions with their arguments', () => {
    const actions = new CallActionCollector();
    const whole = new AIMessage({
      id: 'm1',
      content: 'Pressing two.',
      tool_calls: [{ id: 'd1', name: 'send_dtmf', args: { digits: '2' }, type: 'tool_call' }],
      invalid_tool_calls: [
        {
          id: 'd2',
          name: 'send_dtmf',
          args: '{"digits": "3',
          error: 'bad JSON',
          type: 'invalid_tool_call',
        },
      ],
    });
    expect(actions.fromMessage(fields(whole), 'm1')).toEqual([
      { name: 'send_dtmf', trigger: 'tool', digits: '2', toolCallId: 'd1' },
      { name: 'send_dtmf', trigger: 'tool', digits: '', toolCallId: 'd2' },
    ]);
    actions.addChunks([{ index: 0, id: 't1', name: 'transfer_call', args: '{"to": "bil' }], 'm2');
    actions.addChunks([{ index: 0, args: 'ling", "reason": "refund"}' }], 'm2');
    expect(actions.flush()).toEqual([
      { name: 'transfer_call', trigger: 'tool', to: 'billing', reason: 'refund', toolCallId: 't1' },
    ]);
  });

  it('carries one end or transfer per run: a later one of the other kind comes back dropped', () => {
    const actions = new CallActionCollector();
    expect(actions.fromSignal({ type: 'transfer', to: 'billing' })).toEqual([
      { name: 'transfer_call', trigger: 'signal', to: 'billing' },
    ]);
    expect(actions.fromSignal('end')).toEqual([
      { name: 'end_call', trigger: 'signal', reason: DEFAULT_END_REASONS.signal, dropped: true },
    ]);
    expect(actions.fromSignal({ type: 'transfer', to: 'sales' })).toEqual([
      { name: 'transfer_call', trigger: 'signal', to: 'sales', dropped: true },
    ]);
    // key presses are not call-ending: they still come, in order
    expect(actions.fromSignal({ type: 'dtmf', digits: '1' })).toEqual([
      { name: 'send_dtmf', trigger: 'signal', digits: '1' },
    ]);
  });

  it('drops a transfer after an end-call node ran', () => {
    const actions = new CallActionCollector();
    expect(actions.fromNode('goodbye')).toHaveLength(1);
    expect(actions.fromSignal({ type: 'transfer', to: 'billing' })).toEqual([
      { name: 'transfer_call', trigger: 'signal', to: 'billing', dropped: true },
    ]);
  });

  it.each([
    [
      { name: 'end_call', trigger: 'tool', reason: 'bye' },
      { reason: 'bye', trigger: 'tool' },
    ],
    [{ name: 'transfer_call', trigger: 'tool', to: 'billing' }, { to: 'billing' }],
    [
      { name: 'transfer_call', trigger: 'tool', to: 'billing', reason: 'r' },
      { to: 'billing', reason: 'r' },
    ],
    [{ name: 'send_dtmf', trigger: 'signal', digits: '1#' }, { digits: '1#' }],
  ] as const)('gives %j the function-call arguments %j', (action, args) => {
    expect(actionArgs(action)).toEqual(args);
  });

  it.each([
    ['end', true],
    [{ type: 'transfer', to: 'x' }, true],
    [{ type: 'dtmf', digits: '1' }, true],
    [{ type: 'progress' }, false],
    ['hello', false],
  ])('isCallSignal(%j) is %s', (value, expected) => {
    expect(isCallSignal(value)).toBe(expected);
  });
});
