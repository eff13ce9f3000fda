import { llm } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { ThreadLedger } from '../../src/memory/ledger.js';
import type { SpokenPiece } from '../../src/memory/spoken.js';

describe('ThreadLedger', () => {
  const user = (text: string) => llm.ChatMessage.create({ role: 'user', content: text });
  const assistant = (text: string, interrupted = false) =>
    llm.ChatMessage.create({ role: 'assistant', content: text, interrupted });
  const said = (text: string): SpokenPiece[] => [{ messageId: 'ai', text }];

  /** A run that started, wrote `checkpoint` and ended `done` saying `text`. */
  function run(ledger: ThreadLedger, items: llm.ChatItem[], checkpoint: string, text: string) {
    const turn = ledger.begin('t', items);
    turn.storeHead({ checkpointId: 'base', paused: false });
    turn.checkpoint(checkpoint, turn.checkpointId(), {});
    turn.endAttempt({ outcome: 'done', spoken: said(text) });
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
    real.endAttempt({ outcome: 'done', spoken: said('Cancelled.') });
    const next = ledger.begin('t', [final, assistant('Cancelled.'), user('thanks')]);
    expect(next.checkpointId()).toBe('after-real');
    expect(next.items.map((item) => item.id)).toHaveLength(1);
    expect(next.corrections).toEqual([]);
  });

  it('keeps an answer as said until the chat context tells what was heard', () => {
    const ledger = new ThreadLedger();
    const first = user('where is it?');
    run(ledger, [first], 'after-first', 'It shipped on Monday.');
    // the answer is still playing: not in the chat context yet
    const early = ledger.begin('t', [first, user('and the refund?')]);
    expect(early.corrections).toEqual([]);
    const cut = assistant('It shipped', true);
    const later = ledger.begin('t', [first, cut, user('and the refund?')]);
    expect(later.corrections.map((h) => h.heardText)).toEqual(['It shipped']);
    expect(later.items.map((item) => item.id)).not.toContain(cut.id);
  });

  it('takes an answer missing after the conversation moved on as unheard', () => {
    const ledger = new ThreadLedger();
    const first = user('where is it?');
    run(ledger, [first], 'after-first', 'It shipped on Monday.');
    const second = user('hello?');
    const items = [first, second, assistant('Yes, I am here.'), user('ok')];
    const turn = ledger.begin('t', items);
    expect(turn.corrections.map((h) => [h.heardText, h.spoken.length])).toEqual([['', 1]]);
  });

  it('forgets the least recently run thread beyond its limit, which then reads its checkpoint again', () => {
    const ledger = new ThreadLedger({ maxThreads: 2 });
    for (const id of ['a', 'b', 'a', 'c']) {
      const turn = ledger.begin(id, [user('hi')]);
      turn.storeHead({ checkpointId: 'base', paused: false });
    }
    // 'b' was the least recently run when 'c' came
    expect(ledger.begin('a', []).paused).toBe(false);
    expect(ledger.begin('c', []).paused).toBe(false);
    expect(ledger.begin('b', []).paused).toBeUndefined();
  });

  it('finishes a call: corrections for an answer cut by the end of the call, then forgets the thread', () => {
    const ledger = new ThreadLedger();
    const first = user('where is it?');
    run(ledger, [first], 'after-first', 'It shipped on Monday.');
    const finished = ledger.finish('t', [first, assistant('It shipped', true)]);
    expect(finished?.checkpointId).toBe('after-first');
    expect(finished?.corrections.map((c) => c.heardText)).toEqual(['It shipped']);
    // forgotten: a next call on the thread reads its head again
    expect(ledger.begin('t', []).paused).toBeUndefined();
  });

  it('takes an answer missing from the final chat context as never heard', () => {
    const ledger = new ThreadLedger();
    const first = user('where is it?');
    run(ledger, [first], 'after-first', 'It shipped on Monday.');
    expect(ledger.finish('t', [first])?.corrections.map((c) => c.heardText)).toEqual(['']);
    expect(ledger.finish('unknown', [first])).toBeUndefined();
  });
});
