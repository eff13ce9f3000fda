import { llm } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { newInterrupts, spokenAnswer } from '../../src/stream/interrupts.js';

const user = (text: string) => llm.ChatMessage.create({ role: 'user', content: text });
const assistant = (text: string) => llm.ChatMessage.create({ role: 'assistant', content: text });

describe('spokenAnswer', () => {
  it.each([
    [[user('12345')], '12345'],
    [[user('one'), assistant('ok'), user(' two ')], 'one\ntwo'],
    [[assistant('Anything else?')], undefined],
    [[user('  ')], undefined],
  ])('%# answers %j', (items, answer) => {
    expect(spokenAnswer(items)).toBe(answer);
  });
});

describe('newInterrupts', () => {
  it('reports each interrupt once, with its prompt', () => {
    const seen = new Set<string>();
    const value = [{ id: 'i1', value: { question: 'Your zip code?' } }];
    expect(newInterrupts(value, seen)).toEqual([
      { id: 'i1', prompt: 'Your zip code?', value: { question: 'Your zip code?' } },
    ]);
    expect(newInterrupts(value, seen)).toEqual([]);
  });

  it('names an interrupt without id by its place, and skips what is not an interrupt', () => {
    expect(newInterrupts([42, { value: 'Why?' }], new Set())).toEqual([
      { id: '#1', prompt: 'Why?', value: 'Why?' },
    ]);
    expect(newInterrupts('not a list', new Set())).toEqual([]);
  });
});
