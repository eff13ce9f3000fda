/**
 * The demo's "model": deterministic replies chosen from the conversation, so every run of the
 * demo says the same thing. It decides what a real model would — answer, look an order up with
 * the `lookup_order` tool, call `end_call` or `transfer_call` — and the graph around it is the
 * sample agent's.
 */
import type { BaseMessage } from '@langchain/core/messages';
import { FINISH } from '../examples/telephony-agent/graph.js';
import { ScriptedChatModel, type ScriptedReply } from '../fixtures/scripted-chat-model.js';
import { END_CALL, TRANSFER_CALL } from '../src/index.js';

const ORDER_ID = /#?\b(\d{3,})\b/;

const text = (message: BaseMessage | undefined): string =>
  typeof message?.content === 'string' ? message.content : '';

/** Picks the reply to the conversation so far; it transfers only when the agent can (`transfer`). */
export function reply(messages: BaseMessage[], { transfer = false } = {}): ScriptedReply {
  const last = messages.at(-1);
  if (last?.getType() === 'tool') {
    // lookup_order answers "order 1001: shipped on Monday, arriving Thursday"
    return { text: `Here's what I see: ${text(last).replace(/^order (\w+): /, 'order $1 is ')}.` };
  }
  const said = text(last).toLowerCase();
  if (/\b(bye|goodbye)\b/.test(said)) {
    return {
      text: "You're welcome. Goodbye!",
      toolCalls: [{ name: END_CALL, args: { reason: 'caller said goodbye' } }],
    };
  }
  if (/\b(person|human|someone)\b/.test(said) && !transfer) {
    return { text: "I can't transfer calls, but I can help with your order. What do you need?" };
  }
  if (/\b(person|human|someone)\b/.test(said)) {
    // the sample graph (with transfer: true) knows one destination: "human"
    return {
      text: "Of course. I'm connecting you to a colleague now.",
      toolCalls: [
        { name: TRANSFER_CALL, args: { to: 'human', reason: 'caller asked for a person' } },
      ],
    };
  }
  if (/\b(that's everything|nothing else|all set)\b/.test(said)) {
    // the task is done: the graph's goodbye node says the goodbye and ends the call
    return { toolCalls: [{ name: FINISH }] };
  }
  const orderId = ORDER_ID.exec(said)?.[1];
  if (orderId)
    return {
      text: 'One moment, let me look that up.',
      toolCalls: [{ name: 'lookup_order', args: { orderId } }],
    };
  if (said.includes('order'))
    return { text: "Sure, I can help with your order. What's the order number?" };
  if (said.includes('address'))
    return { text: "Done, I've noted the new address for the delivery. Anything else?" };
  return { text: "Sorry, I didn't catch that. Could you say it again?" };
}

/** A chat model that streams {@link reply}'s answers word by word, as a real model would. */
export function demoModel(options: { transfer?: boolean } = {}): ScriptedChatModel {
  return new ScriptedChatModel({
    script: [(messages) => withUsage(messages, reply(messages, options))],
    tokenDelayMs: 15,
    firstTokenDelayMs: 120,
  });
}

/** Token usage as a real model reports it, counted in words, so the call report has some to sum. */
function withUsage(messages: BaseMessage[], answer: ScriptedReply): ScriptedReply {
  const words = (value: string) => value.split(/\s+/).filter(Boolean).length;
  const input = messages.reduce((sum, message) => sum + words(text(message)), 0);
  const output = words(answer.text ?? '') + (answer.toolCalls?.length ?? 0);
  return { ...answer, usage: { input, output } };
}
