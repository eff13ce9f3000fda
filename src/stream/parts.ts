/**
 * Classifies the parts of `graph.stream(input, { streamMode: ['messages', 'custom', 'updates'] })`
 * into what the caller hears, what ends the call, `interrupt()` prompts, and token usage.
 * Everything else (tool calls, tool results, human and system messages, state updates, custom
 * objects) is dropped here.
 *
 * Pure: data in, data out. Parses the shapes of a local compiled graph (LangChain message
 * objects) and of a `RemoteGraph` (plain-object messages from `messages-tuple`), with or without
 * `subgraphs: true` (a namespace first in each part).
 */
import { END_CALL, isEndSignal } from '../graph/end-call.js';
import {
  arrayOf,
  type Dict,
  INTERRUPT,
  interruptPrompt,
  isAIMessage,
  isDict,
  isSpace,
  messagesIn,
  parseJson,
  partMode,
  partPayload,
  reasonOf,
  type TokenUsage,
  textOf,
  usageOf,
} from '../graph/message-fields.js';

export type { TokenUsage } from '../graph/message-fields.js';

/** What ended the call: the graph's `end` signal, the model's `end_call` tool call, or an end-call node. */
export type EndTrigger = 'signal' | 'tool' | 'node';

/** One thing the adapter acts on. */
export type StreamEvent =
  /** Speakable text; `messageId` is the AI message it belongs to (none for custom writes). */
  | { kind: 'text'; text: string; messageId?: string }
  /** The graph ended the call; `toolCallId` is the model's `end_call` tool call, if that did it. */
  | { kind: 'end'; trigger: EndTrigger; reason: string; toolCallId?: string }
  | { kind: 'usage'; usage: TokenUsage }
  /** The graph called `interrupt(value)`; `prompt` is what to ask the caller, if the value says. */
  | { kind: 'interrupt'; id: string; prompt: string | undefined; value: unknown };

/** What decides which parts are spoken and which nodes end the call. */
export interface PartFilter {
  /** Speak only text produced by these nodes (or inside subgraphs run by them); `undefined` = every node. */
  nodes?: ReadonlySet<string>;
  /** Nodes that end the call when they run, besides nodes whose metadata has `end_call: true`. */
  endCallNodes: ReadonlySet<string>;
}

/** The reason given to the hangup when the graph gave none. */
export const DEFAULT_END_REASONS: Readonly<Record<EndTrigger, string>> = {
  signal: 'the graph ended the call',
  tool: 'the model called end_call',
  node: 'an end-call node ran',
};

interface PendingToolCall {
  messageId: string;
  callId: string | undefined;
  args: string;
}

const NONE: readonly StreamEvent[] = Object.freeze([]);

/**
 * Turns the parts of one graph run into {@link StreamEvent}s. Keeps the state one run needs:
 * which messages were already spoken (a node that returns a streamed message makes LangGraph
 * emit it again), the fragments of a streamed `end_call` tool call, and whether the end was
 * already reported (at most one `end` event per run).
 *
 * A streamed message is completed from the node's `updates` part: LangGraph.js 1.7 hands the
 * `messages` tokens to LangChain's background callback queue, which one process shares between
 * all runs, so under load the last tokens of an answer can come after the run has ended, and are
 * never streamed. The finished message in `updates` says what the caller has not heard yet.
 */
export class PartClassifier {
  readonly #filter: PartFilter;
  readonly #streamedIds = new Set<string>();
  /** The text spoken so far per streamed message id, for messages from nodes that speak. */
  readonly #spokenById = new Map<string, string>();
  /** Streamed messages completed from their whole version; their late chunks are dropped. */
  readonly #completedIds = new Set<string>();
  /** Whole AI messages from `updates` whose chunks have not come (yet): a late chunk completes them. */
  readonly #wholeById = new Map<string, Dict>();
  readonly #usageIds = new Set<string>();
  readonly #pendingEndCalls = new Map<string, PendingToolCall>();
  // with `subgraphs: true` an interrupt is reported by its subgraph and again by the root graph
  readonly #interruptIds = new Set<string>();
  #ended = false;
  // where the last spoken text came from, and whether it ended a word
  #lastSource: string | undefined;
  #lastEndsWord = true;
  #sourceCounter = 0;

  constructor(filter: PartFilter) {
    this.#filter = filter;
  }

  /** Whether an `end` event was already produced in this run. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Classifies one part as yielded by `graph.stream()`. */
  classify(part: unknown): readonly StreamEvent[] {
    if (!Array.isArray(part)) return NONE;
    const payload = partPayload(part);
    switch (partMode(part)) {
      case 'messages':
      case 'messages-tuple':
        return Array.isArray(payload) ? this.#message(payload[0], payload[1]) : NONE;
      case 'custom':
        return this.#custom(payload);
      case 'updates':
        return this.#updates(payload);
      default:
        return NONE;
    }
  }

  /** Reports what is still pending when the run ends (a streamed `end_call` call's final args). */
  finish(): readonly StreamEvent[] {
    return this.#flushEndCalls();
  }

  #message(message: unknown, metadata: unknown): readonly StreamEvent[] {
    if (!isDict(message)) return NONE;
    const meta = isDict(metadata) ? metadata : {};
    const node = typeof meta.langgraph_node === 'string' ? meta.langgraph_node : undefined;
    const events: StreamEvent[] = [];
    const id = typeof message.id === 'string' ? message.id : undefined;

    // a new message means the previous one is complete: its end_call arguments are final
    if (
      this.#pendingEndCalls.size > 0 &&
      ![...this.#pendingEndCalls.values()].some((p) => p.messageId === id)
    ) {
      events.push(...this.#flushEndCalls());
    }
    if (node !== undefined && (meta.end_call === true || this.#filter.endCallNodes.has(node))) {
      this.#pushEnd(events, 'node', `${DEFAULT_END_REASONS.node}: ${node}`);
    }
    if (!isAIMessage(message)) return events;

    const isChunk = Array.isArray(message.tool_call_chunks);
    if (id !== undefined && this.#streamedIds.has(id)) {
      // a late chunk of a message already completed, or the whole of a streamed message
      if (!isChunk) this.#complete(message, id, events);
      if (!isChunk || this.#completedIds.has(id)) return events;
    }
    if (id !== undefined) this.#streamedIds.add(id);

    if (this.#speaks(meta)) {
      const text = textOf(message.content);
      if (id !== undefined) this.#spokenById.set(id, (this.#spokenById.get(id) ?? '') + text);
      if (text) events.push(this.#text(text, id));
    }
    const whole = id === undefined ? undefined : this.#wholeById.get(id);
    if (isChunk && whole !== undefined && id !== undefined) {
      // the node finished before this first chunk came: the rest will not come
      this.#complete(whole, id, events);
      return events;
    }
    if (isChunk) {
      this.#collectEndCallChunks(message.tool_call_chunks as unknown[], id ?? '');
    } else {
      if (id !== undefined) this.#completedIds.add(id);
      this.#endCallsOf(message, events);
    }
    this.#usage(message, id, events);
    return events;
  }

  /** Says what the caller has not heard of a streamed message, from its whole version. */
  #complete(message: Dict, id: string, events: StreamEvent[]): void {
    if (this.#completedIds.has(id)) return;
    this.#completedIds.add(id);
    const spoken = this.#spokenById.get(id);
    const text = textOf(message.content);
    if (spoken !== undefined && text.length > spoken.length && text.startsWith(spoken)) {
      events.push(this.#text(text.slice(spoken.length), id));
    }
    // the whole message has the exact arguments, even if their last fragments were lost
    for (const [key, pending] of this.#pendingEndCalls) {
      if (pending.messageId === id) this.#pendingEndCalls.delete(key);
    }
    this.#endCallsOf(message, events);
    this.#usage(message, id, events);
  }

  #endCallsOf(message: Dict, events: StreamEvent[]): void {
    for (const call of arrayOf(message.tool_calls)) {
      if (isDict(call) && call.name === END_CALL) {
        const reason = reasonOf(call.args) ?? DEFAULT_END_REASONS.tool;
        this.#pushEnd(events, 'tool', reason, typeof call.id === 'string' ? call.id : undefined);
      }
    }
  }

  /** Token usage, once per message: a streamed message reports it on a chunk or on its whole. */
  #usage(message: Dict, id: string | undefined, events: StreamEvent[]): void {
    const usage = usageOf(message.usage_metadata);
    if (!usage || (id !== undefined && this.#usageIds.has(id))) return;
    if (id !== undefined) this.#usageIds.add(id);
    events.push({ kind: 'usage', usage });
  }

  #custom(value: unknown): readonly StreamEvent[] {
    if (isEndSignal(value)) {
      const events: StreamEvent[] = [];
      const reason = typeof value === 'string' ? undefined : value.reason;
      this.#pushEnd(events, 'signal', reason || DEFAULT_END_REASONS.signal);
      return events;
    }
    return typeof value === 'string' && value ? [this.#text(value, undefined)] : NONE;
  }

  #updates(update: unknown): readonly StreamEvent[] {
    // an update arrives when a node has finished: its streamed messages are complete
    const events: StreamEvent[] = [];
    if (!isDict(update)) return [...this.#flushEndCalls()];
    for (const [node, value] of Object.entries(update)) {
      if (node === INTERRUPT) continue;
      for (const message of messagesIn(value)) {
        const id = message.id;
        if (typeof id !== 'string' || !isAIMessage(message)) continue;
        // a message no chunk announced may be history a subgraph hands back: never spoken here
        if (this.#streamedIds.has(id)) this.#complete(message, id, events);
        else this.#wholeById.set(id, message);
      }
    }
    events.push(...this.#flushEndCalls());
    for (const node of Object.keys(update)) {
      if (node === INTERRUPT) {
        this.#interrupts(update[node], events);
      } else if (this.#filter.endCallNodes.has(node)) {
        this.#pushEnd(events, 'node', `${DEFAULT_END_REASONS.node}: ${node}`);
      }
    }
    return events;
  }

  /** One event per new interrupt; its prompt is spoken even from a node that `nodes` leaves out. */
  #interrupts(interrupts: unknown, events: StreamEvent[]): void {
    for (const [index, interrupt] of arrayOf(interrupts).entries()) {
      if (!isDict(interrupt)) continue;
      const id = typeof interrupt.id === 'string' ? interrupt.id : `#${index}`;
      if (this.#interruptIds.has(id)) continue;
      this.#interruptIds.add(id);
      const prompt = interruptPrompt(interrupt.value);
      events.push({
        kind: 'interrupt',
        id,
        prompt: prompt && this.#spaced(prompt, undefined),
        value: interrupt.value,
      });
    }
  }

  /**
   * A text event; text from a new source (another message, a custom write) that would run into
   * the previous word gets a space, so "Let me check." and "It shipped." are not read as one word.
   */
  #text(text: string, messageId: string | undefined): StreamEvent {
    const spaced = this.#spaced(text, messageId);
    return messageId === undefined
      ? { kind: 'text', text: spaced }
      : { kind: 'text', text: spaced, messageId };
  }

  #spaced(text: string, messageId: string | undefined): string {
    // a custom write, an interrupt prompt or a message without id is a source of its own
    const source = messageId ?? `\u0000${++this.#sourceCounter}`;
    const spaced =
      source !== this.#lastSource && !this.#lastEndsWord && !isSpace(text.charCodeAt(0))
        ? ` ${text}`
        : text;
    this.#lastSource = source;
    this.#lastEndsWord = isSpace(text.charCodeAt(text.length - 1));
    return spaced;
  }

  #speaks(meta: Dict): boolean {
    const allowed = this.#filter.nodes;
    if (allowed === undefined) return true;
    if (typeof meta.langgraph_node === 'string' && allowed.has(meta.langgraph_node)) return true;
    // inside a subgraph, the parent node that runs it counts: "parent:<task id>|child:<task id>"
    const ns = meta.langgraph_checkpoint_ns;
    if (typeof ns !== 'string' || ns === '') return false;
    return ns.split('|').some((segment) => allowed.has(segment.split(':')[0] ?? ''));
  }

  #collectEndCallChunks(chunks: unknown[], messageId: string): void {
    for (const chunk of chunks) {
      if (!isDict(chunk)) continue;
      const key = `${messageId}:${String(chunk.index ?? chunk.id)}`;
      const pending = this.#pendingEndCalls.get(key);
      const args = typeof chunk.args === 'string' ? chunk.args : '';
      if (pending) pending.args += args;
      else if (chunk.name === END_CALL) {
        const callId = typeof chunk.id === 'string' ? chunk.id : undefined;
        this.#pendingEndCalls.set(key, { messageId, callId, args });
      }
    }
  }

  #flushEndCalls(): readonly StreamEvent[] {
    if (this.#pendingEndCalls.size === 0) return NONE;
    const events: StreamEvent[] = [];
    for (const pending of this.#pendingEndCalls.values()) {
      const reason = reasonOf(parseJson(pending.args)) ?? DEFAULT_END_REASONS.tool;
      this.#pushEnd(events, 'tool', reason, pending.callId);
    }
    this.#pendingEndCalls.clear();
    return events;
  }

  #pushEnd(events: StreamEvent[], trigger: EndTrigger, reason: string, toolCallId?: string): void {
    if (this.#ended) return;
    this.#ended = true;
    events.push(
      toolCallId === undefined
        ? { kind: 'end', trigger, reason }
        : { kind: 'end', trigger, reason, toolCallId },
    );
  }
}
