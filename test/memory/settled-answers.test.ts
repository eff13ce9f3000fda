import { llm } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { correctionOf } from '../../src/memory/settled-answers.js';

const user = (text: string) => llm.ChatMessage.create({ role: 'user', content: text });
const spoken = [{ messageId: 'ai', text: 'It shipped on Monday.' }];

describe('correctionOf', () => {
  const question = user('where is it?');
  const run = { userTexts: new Map([[question.id, 'where is it?']]), spoken, end: undefined };

  it('needs nothing when the caller heard the whole answer', () => {
    expect(correctionOf(run, 'It shipped on Monday.', [question])).toBeUndefined();
  });

  it('cuts an answer the caller heard part of', () => {
    expect(correctionOf(run, 'It shipped', [question])).toEqual({
      spoken,
      heardText: 'It shipped',
      end: undefined,
      retranscribed: new Map(),
    });
  });

  it("corrects only the caller's words while what was heard is not known yet", () => {
    const final = llm.ChatMessage.create({
      id: question.id,
      role: 'user',
      content: 'where is it now?',
    });
    expect(correctionOf(run, undefined, [final])).toEqual({
      spoken: [],
      heardText: '',
      end: undefined,
      retranscribed: new Map([[question.id, 'where is it now?']]),
    });
  });

  it('undoes an end of call the caller kept up, even when all of it was heard', () => {
    const end = { callId: 'end_call_1', reason: 'done' };
    expect(correctionOf({ ...run, end }, 'It shipped on Monday.', [question])?.end).toBe(end);
  });

  it('keeps what the transfer tool answered, for the graph to read why the transfer failed', () => {
    const end = { callId: 'transfer_call_1', name: 'transfer_call' as const, reason: 'refund' };
    const output = llm.FunctionCallOutput.create({
      callId: 'transfer_call_1',
      name: 'transfer_call',
      output: 'The transfer to billing failed: the line was busy.',
      isError: false,
    });
    expect(
      correctionOf({ ...run, end }, 'It shipped on Monday.', [question, output])?.endResult,
    ).toBe('The transfer to billing failed: the line was busy.');
  });
});
