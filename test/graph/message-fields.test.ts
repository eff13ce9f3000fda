import { AIMessage, AIMessageChunk, HumanMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import {
  fromSubgraph,
  isAIMessage,
  messagesIn,
  parseJson,
  partMode,
  partPayload,
  reasonOf,
  textOf,
  usageOf,
} from '../../src/graph/message-fields.js';

describe('textOf', () => {
  it.each([
    ['plain', 'plain'],
    [[{ type: 'text', text: 'a' }, 'b', { type: 'tool_use', input: '{}' }], 'ab'],
    [undefined, ''],
    [42, ''],
  ])('%j → %j', (content, text) => {
    expect(textOf(content)).toBe(text);
  });
});

describe('stream parts', () => {
  it.each([
    [['messages', 'payload'], 'messages', 'payload', false],
    [[[], 'custom', 'payload'], 'custom', 'payload', false],
    [[['inner:1'], 'updates', 'payload'], 'updates', 'payload', true],
  ])('%j has mode %j', (part, mode, payload, subgraph) => {
    expect([partMode(part), partPayload(part), fromSubgraph(part)]).toEqual([
      mode,
      payload,
      subgraph,
    ]);
  });
});

describe('message readers', () => {
  it('tells AI messages of a local graph and of LangGraph Server from the rest', () => {
    expect(
      [
        new AIMessage('a'),
        new AIMessageChunk('b'),
        { type: 'ai' },
        new HumanMessage('c'),
        { type: 'tool' },
      ].map((m) => isAIMessage(m as never)),
    ).toEqual([true, true, true, false, false]);
  });

  it('finds the messages of an update, in a list or under a key', () => {
    const one = { id: 'a' };
    const two = { id: 'b' };
    expect(messagesIn({ messages: [one, 'text'], last: two })).toEqual([one, two]);
    expect(messagesIn(null)).toEqual([]);
  });

  it('reads usage, totalling it when the model gave no total', () => {
    expect(
      usageOf({ input_tokens: 3, output_tokens: 2, input_token_details: { cache_read: 1 } }),
    ).toEqual({
      inputTokens: 3,
      outputTokens: 2,
      totalTokens: 5,
      cachedInputTokens: 1,
      cacheCreationTokens: 0,
    });
    expect(usageOf(undefined)).toBeUndefined();
  });

  it.each([
    [{ reason: ' caller said bye ' }, 'caller said bye'],
    [{ reason: 12345 }, '12345'],
    [{ reason: false }, 'false'],
    [{ reason: '   ' }, undefined],
    [{ reason: { nested: true } }, undefined],
    ['not arguments', undefined],
  ])('reads the reason of %j as %j', (args, reason) => {
    expect(reasonOf(args)).toBe(reason);
  });

  it('parses JSON, and gives nothing for broken JSON', () => {
    expect(parseJson('{"reason":"x"}')).toEqual({ reason: 'x' });
    expect(parseJson('{"reason":')).toBeUndefined();
  });
});
