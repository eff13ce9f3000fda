import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  RemoveMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { llm } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { CALL_KEPT_UP_NOTE } from '../../src/graph/end-call.js';
import { addSpoken, heardEdits, type SpokenPiece } from '../../src/memory/heard.js';
import { type HeardRun, ThreadLedger } from '../../src/memory/threads.js';

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
const heardRun = (heardText: string, fields: Partial<HeardRun> = {}): HeardRun => ({
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

describe('heardEdits', () => {
  it('edits nothing when the caller heard the whole answer, however it was spaced', () => {
    expect(heardEdits(heardRun('Let me check.  It shipped\non Monday.'), thread)).toEqual([]);
  });

  it('cuts the message the caller stopped in, keeping the id', () => {
    expect(heardEdits(heardRun('Let me check. It shipped'), thread).map(shown)).toEqual([
      ['ai', 'm2', 'It shipped'],
    ]);
  });

  it('removes an unheard message, and empties one whose tool calls the thread needs', () => {
    expect(heardEdits(heardRun('Let me'), thread).map(shown)).toEqual([
      ['ai', 'm1', 'Let me', ['lookup_order']],
      ['remove', 'm2'],
    ]);
    expect(heardEdits(heardRun(''), thread).map(shown)).toEqual([
      ['ai', 'm1', '', ['lookup_order']],
      ['remove', 'm2'],
    ]);
  });

  it('counts custom writes as heard, but has nothing of theirs to edit', () => {
    const pieces = [{ messageId: undefined, text: 'One moment. ' }, ...spoken];
    expect(heardEdits(heardRun('One moment. Let', { spoken: pieces }), thread).map(shown)).toEqual([
      ['ai', 'm1', 'Let', ['lookup_order']],
      ['remove', 'm2'],
    ]);
  });

  it('finds where the caller stopped though TTS dropped markdown, emoji and spacing', () => {
    const said = new AIMessage({ id: 'x', content: '**Sure!** 😀 Your order shipped.' });
    const run = heardRun('Sure!  Your order', {
      spoken: [{ messageId: 'x', text: said.content as string }],
    });
    expect(heardEdits(run, [said]).map(shown)).toEqual([['ai', 'x', '**Sure!** 😀 Your order']]);
  });

  it("edits LangGraph Server's plain-object messages", () => {
    const remote = [
      { type: 'human', id: 'h1', content: 'hi' },
      { type: 'ai', id: 'm2', content: 'It shipped on Monday.', tool_calls: [] },
    ];
    const run = heardRun('It', { spoken: [{ messageId: 'm2', text: 'It shipped on Monday.' }] });
    expect(heardEdits(run, remote).map(shown)).toEqual([['ai', 'm2', 'It']]);
  });

  it("puts the caller's final transcript in place of the interim one", () => {
    const run = heardRun('Let me check. It shipped on Monday.', {
      retranscribed: new Map([['h1', 'Where is my order?']]),
    });
    expect(heardEdits(run, thread).map(shown)).toEqual([['human', 'h1', 'Where is my order?']]);
  });

  describe('an end of call the caller kept up', () => {
    const goodbye = new AIMessage({
      id: 'g',
      content: 'Bye now!',
      tool_calls: [{ id: 'x', name: 'end_call', args: {}, type: 'tool_call' }],
    });
    const run = (fields: Partial<HeardRun>) =>
      heardRun('Bye', { spoken: [{ messageId: 'g', text: 'Bye now!' }], ...fields });

    it("answers the model's end_call with the note, in place of the tool's result", () => {
      const result = new ToolMessage({
        id: 'r',
        tool_call_id: 'x',
        content: 'The call is ending.',
      });
      const end = { callId: 'lk', reason: 'bye', toolCallId: 'x' };
      const edits = heardEdits(run({ end }), [goodbye, result]);
      expect(edits.map(shown)).toEqual([
        ['ai', 'g', 'Bye', ['end_call']],
        ['tool', 'r', CALL_KEPT_UP_NOTE],
      ]);
      expect((edits[1] as ToolMessage).tool_call_id).toBe('x');
      // a graph that stopped at the tool call gets the result it lacks
      const added = heardEdits(run({ end }), [goodbye]).at(-1) as ToolMessage;
      expect([added.tool_call_id, added.content]).toEqual(['x', CALL_KEPT_UP_NOTE]);
    });

    it('adds the end_call call and result that input "history" would show for a signal', () => {
      const said = new AIMessage({ id: 'g', content: 'Bye now!' });
      const edits = heardEdits(run({ end: { callId: 'lk', reason: 'bye' } }), [said]);
      expect(edits.map(shown)).toEqual([
        ['ai', 'g', 'Bye', ['end_call']],
        ['tool', undefined, CALL_KEPT_UP_NOTE],
      ]);
      expect((edits[1] as ToolMessage).tool_call_id).toBe('lk');
    });
  });
});

describe('addSpoken', () => {
  it('merges text from the same message and keeps sources apart', () => {
    const pieces: SpokenPiece[] = [];
    addSpoken(pieces, 'Hel', 'a');
    addSpoken(pieces, 'lo.', 'a');
    addSpoken(pieces, ' Hold on.', undefined);
    addSpoken(pieces, ' Found', undefined);
    expect(pieces).toEqual([
      { messageId: 'a', text: 'Hello.' },
      { messageId: undefined, text: ' Hold on.' },
      { messageId: undefined, text: ' Found' },
    ]);
  });
});

describe('ThreadLedger', () => {
  const user = (text: string) => llm.ChatMessage.create({ role: 'user', content: text });
  const assistant = (text: string, interrupted = false) =>
    llm.ChatMessage.create({ role: 'assistant', content: text, interrupted });
  const said = (text: string): SpokenPiece[] => [{ messageId: 'ai', text }];

  /** A run that started, wrote `checkpoint` and ended `done` saying `text`. */
  function run(ledger: ThreadLedger, items: llm.ChatItem[], checkpoint: string, text: string) {
    const turn = ledger.begin('t', items);
    turn.learn({ checkpointId: 'base', paused: false });
    turn.checkpoint(checkpoint, turn.checkpointId(), {});
    turn.end({ outcome: 'done', spoken: said(text) });
    return turn;
  }

  it('forks every run from the last one whose caller message reached the chat context', () => {
    const ledger = new ThreadLedger();
    const interim = user('I want');
    run(ledger, [interim], 'after-interim', 'You said: I want');
    const final = user('I want to cancel');
    const real = ledger.begin('t', [final]);
    // the preemptive run's user message never reached the chat context: a dead branch
    expect(real.checkpointId()).toBe('base');
    expect(real.items).toEqual([final]);
    real.checkpoint('after-real', 'base', {});
    real.end({ outcome: 'done', spoken: said('Cancelled.') });
    const next = ledger.begin('t', [final, assistant('Cancelled.'), user('thanks')]);
    expect(next.checkpointId()).toBe('after-real');
    expect(next.items.map((item) => item.id)).toHaveLength(1);
    expect(next.heard).toEqual([]);
  });

  it('keeps an answer as said until the chat context tells what was heard', () => {
    const ledger = new ThreadLedger();
    const first = user('where is it?');
    run(ledger, [first], 'after-first', 'It shipped on Monday.');
    // the answer is still playing: not in the chat context yet
    const early = ledger.begin('t', [first, user('and the refund?')]);
    expect(early.heard).toEqual([]);
    const cut = assistant('It shipped', true);
    const later = ledger.begin('t', [first, cut, user('and the refund?')]);
    expect(later.heard.map((h) => h.heardText)).toEqual(['It shipped']);
    expect(later.items.map((item) => item.id)).not.toContain(cut.id);
  });

  it('takes an answer missing after the conversation moved on as unheard', () => {
    const ledger = new ThreadLedger();
    const first = user('where is it?');
    run(ledger, [first], 'after-first', 'It shipped on Monday.');
    const second = user('hello?');
    const items = [first, second, assistant('Yes, I am here.'), user('ok')];
    const turn = ledger.begin('t', items);
    expect(turn.heard.map((h) => [h.heardText, h.spoken.length])).toEqual([['', 1]]);
  });

  it('forgets the least recently run thread beyond its limit, which then reads its checkpoint again', () => {
    const ledger = new ThreadLedger({ maxThreads: 2 });
    for (const id of ['a', 'b', 'a', 'c']) {
      const turn = ledger.begin(id, [user('hi')]);
      turn.learn({ checkpointId: 'base', paused: false });
    }
    // 'b' was the least recently run when 'c' came
    expect(ledger.begin('a', []).paused).toBe(false);
    expect(ledger.begin('c', []).paused).toBe(false);
    expect(ledger.begin('b', []).paused).toBeUndefined();
  });
});
