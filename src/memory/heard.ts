/**
 * What the caller heard of a run, as edits of the thread's messages: an answer cut by a barge-in
 * keeps only what was played (same message id, so the messages reducer replaces it), an end of
 * call that did not happen says so, and a reused preemptive run's interim transcript becomes the
 * final one. Pure: the run's spoken text and checkpoint messages in, LangChain messages out.
 */
import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  RemoveMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { CALL_KEPT_UP_NOTE, END_CALL } from '../graph/end-call.js';
import { arrayOf, type Dict, isAIMessage, isDict, textOf } from '../graph/message-fields.js';
import type { HeardRun } from './threads.js';

/** Text a run said, with the id of the AI message it came from (none for custom writes and prompts). */
export interface SpokenPiece {
  messageId: string | undefined;
  text: string;
}

/** All the text of `pieces`, in order. */
export function spokenTextOf(pieces: readonly SpokenPiece[]): string {
  return pieces.map((piece) => piece.text).join('');
}

/** Appends `text` to `pieces`, merging it into the last piece when it comes from the same message. */
export function addSpoken(
  pieces: SpokenPiece[],
  text: string,
  messageId: string | undefined,
): void {
  const last = pieces.at(-1);
  if (last && messageId !== undefined && last.messageId === messageId) last.text += text;
  else pieces.push({ messageId, text });
}

/**
 * The messages that make a checkpoint say what the caller heard of the run that wrote it, given
 * that checkpoint's messages (LangChain messages, or plain objects from LangGraph Server).
 */
export function heardEdits(heard: HeardRun, messages: readonly unknown[]): BaseMessage[] {
  const byId = new Map<string, Dict>();
  for (const message of messages) {
    if (isDict(message) && typeof message.id === 'string') byId.set(message.id, message);
  }
  // per spoken AI message: all it said, and the part of it the caller heard
  const said = new Map<string, { whole: string; kept: string }>();
  const budget = { left: [...wordsOf(heard.heardText)].length };
  for (const piece of heard.spoken) {
    const kept = takeHeard(piece.text, budget);
    if (piece.messageId === undefined) continue;
    const entry = said.get(piece.messageId) ?? { whole: '', kept: '' };
    entry.whole += piece.text;
    entry.kept += kept;
    said.set(piece.messageId, entry);
  }
  const edits = new Map<string, BaseMessage>();
  for (const [id, { whole, kept }] of said) {
    const message = byId.get(id);
    if (!message || !isAIMessage(message) || kept === whole) continue;
    const text = kept.trim();
    edits.set(id, text || hasToolCalls(message) ? aiMessage(message, text) : removal(id));
  }
  const end = heard.end ? endEdits(heard.end, messages, byId, edits) : [];
  for (const [id, text] of heard.retranscribed) {
    edits.set(id, new HumanMessage({ id, content: text }));
  }
  return [...edits.values(), ...end];
}

/**
 * Tells the graph that its end of call did not happen: the result of its `end_call` tool call
 * becomes {@link CALL_KEPT_UP_NOTE}; an end from a signal or an end-call node gets the `end_call`
 * call and result that `input: 'history'` would show.
 */
function endEdits(
  end: NonNullable<HeardRun['end']>,
  messages: readonly unknown[],
  byId: Map<string, Dict>,
  edits: Map<string, BaseMessage>,
): BaseMessage[] {
  if (end.toolCallId !== undefined) {
    const result = messages.find((m) => isDict(m) && m.tool_call_id === end.toolCallId) as
      | Dict
      | undefined;
    return [
      new ToolMessage({
        id: typeof result?.id === 'string' ? result.id : undefined,
        tool_call_id: end.toolCallId,
        name: END_CALL,
        content: CALL_KEPT_UP_NOTE,
      }),
    ];
  }
  const call = {
    id: end.callId,
    name: END_CALL,
    args: { reason: end.reason },
    type: 'tool_call' as const,
  };
  const last = messages.at(-1);
  const lastId = isDict(last) && typeof last.id === 'string' ? last.id : undefined;
  const edited = lastId === undefined ? undefined : edits.get(lastId);
  const goodbye = lastId === undefined ? undefined : byId.get(lastId);
  // the call goes on the goodbye when it closes the thread, as LiveKit's chat context has it
  const carrier =
    goodbye && isAIMessage(goodbye) && !(edited instanceof RemoveMessage)
      ? aiMessage(goodbye, edited ? textOf(edited.content) : textOf(goodbye.content), [call])
      : new AIMessage({ content: '', tool_calls: [call] });
  if (carrier.id !== undefined) edits.delete(carrier.id);
  return [
    carrier,
    new ToolMessage({ tool_call_id: end.callId, name: END_CALL, content: CALL_KEPT_UP_NOTE }),
  ];
}

/** The part of `text` still within the heard budget, counted in letters and digits. */
function takeHeard(text: string, budget: { left: number }): string {
  if (budget.left <= 0) return '';
  let taken = 0;
  let offset = 0;
  for (const char of text) {
    if (WORD_CHAR.test(char)) {
      if (taken === budget.left) {
        budget.left = 0;
        return text.slice(0, offset);
      }
      taken++;
    }
    offset += char.length;
  }
  budget.left -= taken;
  return text;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

/**
 * The letters and digits of `text`, lower-cased: what LiveKit keeps of an answer and what the
 * graph said are compared on these alone, since LiveKit may space them differently and a TTS
 * text transform may have dropped markdown, emoji or punctuation.
 */
export const wordsOf = (text: string): string => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');

const hasToolCalls = (message: Dict): boolean => arrayOf(message.tool_calls).length > 0;

/** `message` (a LangChain AIMessage or its plain-object form) with new text and extra tool calls. */
function aiMessage(message: Dict, content: string, extraCalls: Dict[] = []): AIMessage {
  return new AIMessage({
    id: message.id as string,
    content,
    name: typeof message.name === 'string' ? message.name : undefined,
    tool_calls: [...arrayOf(message.tool_calls), ...extraCalls] as AIMessage['tool_calls'],
    additional_kwargs: isDict(message.additional_kwargs) ? message.additional_kwargs : {},
    response_metadata: isDict(message.response_metadata) ? message.response_metadata : {},
  });
}

const removal = (id: string): RemoveMessage => new RemoveMessage({ id });
