/**
 * Readers for the fields of the messages and parts a graph streams: LangChain message objects
 * from a local graph, plain objects from a `RemoteGraph`. Pure, and forgiving of missing fields.
 */

/** A plain object with unknown fields. */
export type Dict = Record<string, unknown>;

/** Whether `value` is a non-null object whose fields can be read. */
export const isDict = (value: unknown): value is Dict =>
  typeof value === 'object' && value !== null;

/**
 * The mode of a part yielded by `graph.stream()`: parts are `[mode, payload]`, or
 * `[namespace, mode, payload]` with `subgraphs: true`.
 */
export const partMode = (part: readonly unknown[]): unknown => part[Array.isArray(part[0]) ? 1 : 0];

/** The payload of a `graph.stream()` part (see {@link partMode}). */
export const partPayload = (part: readonly unknown[]): unknown =>
  part[Array.isArray(part[0]) ? 2 : 1];

/** Whether a `graph.stream()` part comes from a subgraph (a non-empty namespace). */
export const fromSubgraph = (part: readonly unknown[]): boolean =>
  Array.isArray(part[0]) && part[0].length > 0;

/** Token counts reported by a model (LangChain's `usage_metadata`). */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cachedInputTokens: number;
  cacheCreationTokens: number;
}

/** The messages in a node's update (`{ messages: [...] }`, or a single message under a key). */
export function messagesIn(value: unknown): Dict[] {
  if (!isDict(value)) return [];
  const found: Dict[] = [];
  for (const field of Object.values(value)) {
    for (const item of Array.isArray(field) ? field : [field]) {
      if (isDict(item)) found.push(item);
    }
  }
  return found;
}

/** The key under which LangGraph reports `interrupt()` calls in an `updates` part. */
export const INTERRUPT = '__interrupt__';

/**
 * What to ask the caller for an `interrupt(value)`: the value when it is a string, else its
 * `question`, `message` or `text` field; `undefined` when none of them is non-empty text.
 */
export function interruptPrompt(value: unknown): string | undefined {
  const candidates = isDict(value) ? [value.question, value.message, value.text] : [value];
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && candidate.trim()) return candidate.trim();
  }
  return undefined;
}

/** Space, tab, line feed, carriage return (and the rest of the ASCII control range). */
export const isSpace = (code: number): boolean => code <= 32;

/** Whether a message (a LangChain object or a RemoteGraph plain object) is an AI message. */
export function isAIMessage(message: Dict): boolean {
  const type =
    typeof message.getType === 'function' ? (message.getType as () => unknown)() : message.type;
  return type === 'ai' || type === 'AIMessageChunk';
}

/** The speakable text of a message's content: a string, or the `text` blocks of a block array. */
export function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  let text = '';
  for (const block of content) {
    if (typeof block === 'string') text += block;
    else if (isDict(block) && block.type === 'text' && typeof block.text === 'string')
      text += block.text;
  }
  return text;
}

/** A message's `usage_metadata` as {@link TokenUsage}; `undefined` when it reports none. */
export function usageOf(value: unknown): TokenUsage | undefined {
  if (!isDict(value)) return undefined;
  const details = isDict(value.input_token_details) ? value.input_token_details : {};
  const inputTokens = numberOf(value.input_tokens);
  const outputTokens = numberOf(value.output_tokens);
  return {
    inputTokens,
    outputTokens,
    totalTokens: numberOf(value.total_tokens) || inputTokens + outputTokens,
    cachedInputTokens: numberOf(details.cache_read),
    cacheCreationTokens: numberOf(details.cache_creation),
  };
}

const numberOf = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) ? value : 0;

const NONE: readonly unknown[] = Object.freeze([]);

/** `value` when it is an array, else an empty one. */
export const arrayOf = (value: unknown): readonly unknown[] =>
  Array.isArray(value) ? value : NONE;

/**
 * The `reason` of tool-call or signal arguments as text: a non-blank string, or a number or
 * boolean written out; `undefined` for anything else, so a default applies. A malformed reason
 * must never keep a call up: the LiveKit tool would reject it and the goodbye would repeat.
 */
export function reasonOf(args: unknown): string | undefined {
  if (!isDict(args)) return undefined;
  const { reason } = args;
  if (typeof reason === 'number' || typeof reason === 'boolean') return String(reason);
  return typeof reason === 'string' && reason.trim() ? reason.trim() : undefined;
}

/** Argument `key` as text (a number written out, trimmed); `''` when the graph gave nothing readable. */
export function textArg(args: unknown, key: string): string {
  const value = isDict(args) ? args[key] : undefined;
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' ? value.trim() : '';
}

/** `JSON.parse`, or `undefined` for text that is not JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // a model that streamed malformed arguments still ended the call; the default reason applies
    return undefined;
  }
}
