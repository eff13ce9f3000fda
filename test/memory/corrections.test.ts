import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  RemoveMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { CALL_KEPT_UP_NOTE } from '../../src/graph/end-call.js';
import {
  type AnswerCorrection,
  correctionMessages,
  TRANSFER_NOT_DONE_NOTE,
} from '../../src/memory/corrections.js';
import type { SpokenPiece } from '../../src/memory/spoken.js';

const lookup = { id: 'call-1', name: 'lookup_order', args: {}, type: 'tool_call' as const };
const thread = [
  new HumanMessage({ id: 'h1', content: 'where is my order?' }),
  new AIMessage({ id: 'm1', content: 'Let me check.', tool_calls: [lookup] }),
  new ToolMessage({ id: 't1', tool_call_id: 'call-1', content: 'shipped Monday' }),
  new AIMessage({ id: 'm2', content: 'It shipped on Monday.' }),
];
const spoken: SpokenPiece[] = [
  { messageId: 'm1', text: 'Let me check.' },
  { messageId: 'm2', text: ' It shipped on Monday.' },
];
const correction = (
  heardText: string,
  fields: Partial<AnswerCorrection> = {},
): AnswerCorrection => ({
  spoken,
  heardText,
  end: undefined,
  retranscribed: new Map(),
  ...fields,
});

/** An edit as [kind, id, content, tool call names]. */
const shown = (message: BaseMessage) => [
  message instanceof RemoveMessage ? 'remove' : message.getType(),
  message.id,
  ...(message instanceof RemoveMessage ? [] : [message.content]),
  ...((message as AIMessage).tool_calls?.length
    ? [(message as AIMessage).tool_calls?.map((call) => call.name)]
    : []),
];

describe('correctionMessages', () => {
  it('edits nothing when the caller heard the whole answer, however it was spaced', () => {
    expect(correctionMessages(correction('Let me check.  It shipped\non Monday.'), thread)).toEqual(
      [],
    );
  });

  it('cuts the message the caller stopped in, keeping the id', () => {
    expect(correctionMessages(correction('Let me check. It shipped'), thread).map(shown)).toEqual([
      ['ai', 'm2', 'It shipped'],
    ]);
  });

  it('removes an unheard message, and empties one whose tool calls the thread needs', () => {
    expect(correctionMessages(correction('Let me'), thread).map(shown)).toEqual([
      ['ai', 'm1', 'Let me', ['lookup_order']],
      ['remove', 'm2'],
    ]);
    expect(correctionMessages(correction(''), thread).map(shown)).toEqual([
      ['ai', 'm1', '', ['lookup_order']],
      ['remove', 'm2'],
    ]);
  });

  it('counts custom writes as heard, but has nothing of theirs to edit', () => {
    const pieces = [{ messageId: undefined, text: 'One moment. ' }, ...spoken];
    expect(
      correctionMessages(correction('One moment. Let', { spoken: pieces }), thread).map(shown),
    ).toEqual([
      ['ai', 'm1', 'Let', ['lookup_order']],
      ['remove', 'm2'],
    ]);
  });

  it('finds where the caller stopped though TTS dropped markdown, emoji and spacing', () => {
    const said = new AIMessage({ id: 'x', content: '**Sure!** 😀 Your order shipped.' });
    const run = correction('Sure!  Your order', {
      spoken: [{ messageId: 'x', text: said.content as string }],
    });
    expect(correctionMessages(run, [said]).map(shown)).toEqual([
      ['ai', 'x', '**Sure!** 😀 Your order'],
    ]);
  });

  it("edits LangGraph Server's plain-object messages", () => {
    const remote = [
      { type: 'human', id: 'h1', content: 'hi' },
      { type: 'ai', id: 'm2', content: 'It shipped on Monday.', tool_calls: [] },
    ];
    const run = correction('It', { spoken: [{ messageId: 'm2', text: 'It shipped on Monday.' }] });
    expect(correctionMessages(run, remote).map(shown)).toEqual([['ai', 'm2', 'It']]);
  });

  it("puts the caller's final transcript in place of the interim one", () => {
    const run = correction('Let me check. It shipped on Monday.', {
      retranscribed: new Map([['h1', 'Where is my order?']]),
    });
    expect(correctionMessages(run, thread).map(shown)).toEqual([
      ['human', 'h1', 'Where is my order?'],
    ]);
  });

  describe('an end of call the caller kept up', () => {
    const goodbye = new AIMessage({
      id: 'g',
      content: 'Bye now!',
      tool_calls: [{ id: 'x', name: 'end_call', args: {}, type: 'tool_call' }],
    });
    const run = (fields: Partial<AnswerCorrection>) =>
      correction('Bye', { spoken: [{ messageId: 'g', text: 'Bye now!' }], ...fields });

    it("answers the model's end_call with the note, in place of the tool's result", () => {
      const result = new ToolMessage({
        id: 'r',
        tool_call_id: 'x',
        content: 'The call is ending.',
      });
      const end = { callId: 'lk', reason: 'bye', toolCallId: 'x' };
      const edits = correctionMessages(run({ end }), [goodbye, result]);
      expect(edits.map(shown)).toEqual([
        ['ai', 'g', 'Bye', ['end_call']],
        ['tool', 'r', CALL_KEPT_UP_NOTE],
      ]);
      expect((edits[1] as ToolMessage).tool_call_id).toBe('x');
      // a graph that stopped at the tool call gets the result it lacks
      const added = correctionMessages(run({ end }), [goodbye]).at(-1) as ToolMessage;
      expect([added.tool_call_id, added.content]).toEqual(['x', CALL_KEPT_UP_NOTE]);
    });

    it('adds the end_call call and result that input "history" would show for a signal', () => {
      const said = new AIMessage({ id: 'g', content: 'Bye now!' });
      const edits = correctionMessages(run({ end: { callId: 'lk', reason: 'bye' } }), [said]);
      expect(edits.map(shown)).toEqual([
        ['ai', 'g', 'Bye', ['end_call']],
        ['tool', undefined, CALL_KEPT_UP_NOTE],
      ]);
      expect((edits[1] as ToolMessage).tool_call_id).toBe('lk');
    });
  });

  describe('a transfer that failed', () => {
    const handoff = new AIMessage({
      id: 'h',
      content: "I'm connecting you to billing now.",
      tool_calls: [{ id: 'x', name: 'transfer_call', args: { to: 'billing' }, type: 'tool_call' }],
    });
    const result = new ToolMessage({ id: 'r', tool_call_id: 'x', content: 'Transferring.' });
    const heard = correction("I'm connecting you to billing now.", {
      spoken: [{ messageId: 'h', text: "I'm connecting you to billing now." }],
      end: { callId: 'lk', name: 'transfer_call', reason: 'r', toolCallId: 'x' },
    });

    it("answers the model's transfer_call with why it failed, in place of the tool's result", () => {
      const edits = correctionMessages(
        { ...heard, endResult: 'The transfer to billing failed: busy.' },
        [handoff, result],
      );
      expect(edits.map(shown)).toEqual([['tool', 'r', 'The transfer to billing failed: busy.']]);
      expect((edits[0] as ToolMessage).name).toBe('transfer_call');
    });

    it('says the transfer did not happen when LiveKit gave no reason', () => {
      const edits = correctionMessages(heard, [handoff, result]);
      expect(edits.map(shown)).toEqual([['tool', 'r', TRANSFER_NOT_DONE_NOTE]]);
    });
  });
});
