import { llm } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { chatTextOf, idsOf, isUserMessage } from '../../src/memory/chat-items.js';

describe('chat items', () => {
  const said = llm.ChatMessage.create({ role: 'user', content: '  hello  ' });
  const answer = llm.ChatMessage.create({ role: 'assistant', content: 'hi' });
  const call = llm.FunctionCall.create({ callId: 'c1', name: 'end_call', args: '{}' });

  it('tells what the caller said from everything else', () => {
    expect([said, answer, call].map(isUserMessage)).toEqual([true, false, false]);
  });

  it('reads trimmed text, and none from items that are not messages', () => {
    expect([said, answer, call].map(chatTextOf)).toEqual(['hello', 'hi', '']);
  });

  it('lists ids in order', () => {
    expect(idsOf([answer, said])).toEqual([answer.id, said.id]);
  });
});
