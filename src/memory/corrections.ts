/**
 * Corrections of earlier answers in a thread, so that it holds what the caller heard: an answer
 * cut by a barge-in keeps only what was played (same message id, so the messages reducer replaces
 * it), an end of call or a transfer that did not happen says so, and a reused preemptive run's interim
 * transcript becomes the final one. Pure: a correction and the checkpoint's messages in,
 * LangChain messages out.
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
import { TRANSFER_CALL } from '../graph/transfer.js';
import type { CallEndRequest } from './records.js';
import { type SpokenPiece, takeWords, wordsOf } from './spoken.js';

/** What an earlier run's answer needs, now that LiveKit's chat context tells what was heard. */
export interface AnswerCorrection {
  /** What the run said, per source message (empty: only the caller's words need correcting). */
  readonly spoken: readonly SpokenPiece[];
  /** What the caller heard of it (`''`: nothing). */
  readonly heardText: string;
  /** Set when the run ended or transferred the call, which is still up. */
  readonly end: CallEndRequest | undefined;
  /**
   * What the LiveKit tool answered to the run's `transfer_call` (why the transfer failed), when
   * the chat context holds it; a failed transfer without one gets {@link TRANSFER_NOT_DONE_NOTE}.
   */
  readonly endResult?: string;
  /** The caller's messages whose final transcript differs from what the run sent: id → final text. */
  readonly retranscribed: ReadonlyMap<string, string>;
}

/**
 * The messages that correct a checkpoint written by the run of `correction`, given that
 * checkpoint's messages (LangChain messages, or plain objects from LangGraph Server).
 */
export function correctionMessages(
  correction: AnswerCorrection,
  messages: readonly unknown[],
): BaseMessage[] {
  const byId = new Map<string, Dict>();
  for (const message of messages) {
    if (isDict(message) && typeof message.id === 'string') byId.set(message.id, message);
  }
  // per spoken AI message: all it said, and the part of it the caller heard
  const said = new Map<string, { whole: string; kept: string }>();
  const budget = { left: [...wordsOf(correction.heardText)].length };
  for (const piece of correction.spoken) {
    const kept = takeWords(piece.text, budget);
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
  const end = correction.end
    ? keptUpEdits(correction.end, noteFor(correction), messages, byId, edits)
    : [];
  for (const [id, text] of correction.retranscribed) {
    edits.set(id, new HumanMessage({ id, content: text }));
  }
  return [...edits.values(), ...end];
}

/** What the graph reads as the result of a transfer that did not happen, when LiveKit said nothing. */
export const TRANSFER_NOT_DONE_NOTE =
  'The transfer did not happen: the caller is still on the line with you. Tell them, and offer ' +
  'another way to help.';

/** The result the graph reads for an end or transfer after which the call is still up. */
function noteFor({ end, endResult }: AnswerCorrection): string {
  if (end?.name !== TRANSFER_CALL) return CALL_KEPT_UP_NOTE;
  return endResult ?? TRANSFER_NOT_DONE_NOTE;
}

/**
 * Tells the graph that its end of call (or transfer) did not happen: the result of its own tool
 * call becomes `note` ({@link CALL_KEPT_UP_NOTE}, or why the transfer failed); an end from a signal
 * or an end-call node gets the function call and result that `input: 'history'` would show.
 */
function keptUpEdits(
  end: CallEndRequest,
  note: string,
  messages: readonly unknown[],
  byId: Map<string, Dict>,
  edits: Map<string, BaseMessage>,
): BaseMessage[] {
  const name = end.name ?? END_CALL;
  if (end.toolCallId !== undefined) {
    const result = messages.find((m) => isDict(m) && m.tool_call_id === end.toolCallId) as
      | Dict
      | undefined;
    return [
      new ToolMessage({
        id: typeof result?.id === 'string' ? result.id : undefined,
        tool_call_id: end.toolCallId,
        name,
        content: note,
      }),
    ];
  }
  const call = {
    id: end.callId,
    name,
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
  return [carrier, new ToolMessage({ tool_call_id: end.callId, name, content: note })];
}

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
