/**
 * LiveKit chat items → LangChain messages. Pure: it takes chat items and returns messages.
 */
import {
  AIMessage,
  type BaseMessage,
  HumanMessage,
  type MessageContent,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import type { llm } from '@livekit/agents';
import { DTMF_INPUT } from '../graph/dtmf.js';
import { CALL_KEPT_UP_NOTE, END_CALL } from '../graph/end-call.js';

type ChatItem = llm.ChatItem;
type ChatContent = llm.ChatContent;
type ContentBlock =
  | { type: 'text'; text: string }
  | { type: 'image_url'; image_url: { url: string } };

/**
 * Converts LiveKit chat items to LangChain messages, keeping item ids as message ids.
 *
 * - system and developer messages → `SystemMessage`; user → `HumanMessage`;
 *   assistant → `AIMessage` (an interrupted answer holds only what the caller heard).
 * - `FunctionCall`s → `tool_calls` of the preceding assistant message (or of a new, empty
 *   `AIMessage` when the calls were not preceded by text); `FunctionCallOutput` → `ToolMessage`
 *   (an `end_call` that left the call up says so).
 * - Agent handoffs and configuration updates have no LangChain meaning and are skipped, as are
 *   messages with nothing in them (audio without transcript, video frames).
 */
export function toLangChainMessages(items: readonly ChatItem[]): BaseMessage[] {
  const messages: BaseMessage[] = [];
  // the AI message that the next function calls belong to, while no other item came between
  let openAssistant: AIMessage | undefined;
  for (const [index, item] of items.entries()) {
    if (item.type === 'function_call') {
      openAssistant ??= pushed(
        messages,
        new AIMessage({ id: item.id, content: '', tool_calls: [] }),
      );
      openAssistant.tool_calls?.push({
        id: item.callId,
        name: item.name,
        args: toolCallArgs(item.args),
        type: 'tool_call',
      });
      continue;
    }
    openAssistant = undefined;
    if (item.type === 'function_call_output') {
      messages.push(
        new ToolMessage({
          id: item.id,
          tool_call_id: item.callId,
          name: item.name || undefined,
          content: callStillLive(item, index, items) ? CALL_KEPT_UP_NOTE : item.output,
          status: item.isError ? 'error' : 'success',
        }),
      );
    } else if (item.type === 'message') {
      const content = contentOf(item.content);
      if (content === undefined) continue;
      if (item.role === 'assistant') {
        openAssistant = pushed(messages, new AIMessage({ id: item.id, content, tool_calls: [] }));
      } else if (item.role === 'user') {
        // keys from forwardDtmf(): the graph tells them from speech by this mark
        const keys = item.extra?.[DTMF_INPUT] === true;
        messages.push(
          new HumanMessage({
            id: item.id,
            content,
            ...(keys && { additional_kwargs: { [DTMF_INPUT]: true } }),
          }),
        );
      } else {
        messages.push(new SystemMessage({ id: item.id, content }));
      }
    }
  }
  return messages;
}

/**
 * Whether `item` is the empty result of an `end_call` after which the conversation went on: the
 * caller interrupted the goodbye and the call stayed up, which the hangup could no longer say in
 * its result (it had returned). The graph must know, or its model believes it hung up.
 */
function callStillLive(
  item: llm.FunctionCallOutput,
  index: number,
  items: readonly ChatItem[],
): boolean {
  return (
    item.name === END_CALL &&
    item.output.trim() === '' &&
    items.slice(index + 1).some((later) => later.type === 'message' && later.role === 'user')
  );
}

function pushed<T extends BaseMessage>(messages: BaseMessage[], message: T): T {
  messages.push(message);
  return message;
}

/** Text parts joined by newlines (as LiveKit's `textContent` does); image URLs as image blocks. */
function contentOf(parts: readonly ChatContent[]): MessageContent | undefined {
  const texts: string[] = [];
  const images: ContentBlock[] = [];
  for (const part of parts) {
    if (typeof part === 'string') texts.push(part);
    else if (part.type === 'instructions') texts.push(part.value);
    else if (part.type === 'audio_content' && part.transcript) texts.push(part.transcript);
    else if (part.type === 'image_content' && typeof part.image === 'string') {
      images.push({ type: 'image_url', image_url: { url: part.image } });
    }
  }
  const text = texts.join('\n');
  if (images.length === 0) return text === '' ? undefined : text;
  return [...(text === '' ? [] : [{ type: 'text' as const, text }]), ...images];
}

/** A function call's arguments as LangChain's `tool_calls` need them: always an object. */
function toolCallArgs(args: string): Record<string, unknown> {
  if (args.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(args);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as Record<string, unknown>)
      : { value: parsed };
  } catch {
    // LangChain's tool_calls need an object; keep malformed arguments visible to the model
    return { raw: args };
  }
}
