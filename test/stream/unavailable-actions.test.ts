import { AIMessage, type BaseMessage, HumanMessage } from '@langchain/core/messages';
import { Command } from '@langchain/langgraph';
import { describe, expect, it } from 'vitest';
import {
  unavailableNote,
  unavailableWarning,
  withNotes,
} from '../../src/stream/unavailable-actions.js';

const shape = (input: unknown) =>
  (input as { messages: BaseMessage[] }).messages.map((m) => `${m.getType()}: ${m.text}`);

describe('call actions nothing receives', () => {
  it.each([
    [
      { name: 'end_call', trigger: 'tool', reason: 'bye' } as const,
      'end_call is not available on this call (the voice agent has no end_call tool), so the call was NOT ended and is still live. Go on with the conversation.',
    ],
    [
      { name: 'transfer_call', trigger: 'signal', to: '' } as const,
      'transfer_call is not available on this call (the voice agent has no transfer_call tool), so the caller was NOT transferred and is still on the line with you. Tell them, and help another way.',
    ],
    [
      { name: 'send_dtmf', trigger: 'tool', digits: '12#' } as const,
      'send_dtmf is not available on this call (the voice agent has no send_dtmf tool), so the keys 12# were NOT pressed.',
    ],
  ])('tells the graph that %o did not happen', (action, note) => {
    expect(unavailableNote(action)).toBe(note);
  });

  it('names the factory to register', () => {
    expect(unavailableWarning('send_dtmf')).toMatch(
      /register `tools: \{ send_dtmf: dtmfTool\(\) \}`$/,
    );
  });

  it('puts the notes before the new caller turn, also of a promised input', async () => {
    const input = Promise.resolve({
      messages: [
        new HumanMessage('Billing.'),
        new AIMessage('Connecting.'),
        new HumanMessage('Hi?'),
      ],
    });
    expect(shape(await withNotes(input, ['not transferred']))).toEqual([
      'human: Billing.',
      'ai: Connecting.',
      'system: not transferred',
      'human: Hi?',
    ]);
  });

  it('leaves an input without notes, and the answer to an interrupt(), as they are', async () => {
    const plain = { messages: [new HumanMessage('Hi')] };
    expect(await withNotes(plain, [])).toBe(plain);
    const resume = new Command({ resume: '1234' });
    expect(await withNotes(resume, ['not transferred'])).toBe(resume);
  });
});
