/**
 * Classifies the parts of `graph.stream(input, { streamMode: ['messages', 'custom', 'updates'] })`
 * into what the caller hears, the call actions the graph asks for, `interrupt()` prompts, and
 * token usage. Everything else (tool calls that are not call actions, tool results, human and
 * system messages, state updates, custom objects) is dropped here.
 *
 * Pure: data in, data out. Parses the shapes of a local compiled graph (LangChain message
 * objects) and of a `RemoteGraph` (plain-object messages from `messages-tuple`), with or without
 * `subgraphs: true` (a namespace first in each part).
 */
import {
  type Dict,
  INTERRUPT,
  isAIMessage,
  isDict,
  messagesIn,
  partMode,
  partPayload,
  type TokenUsage,
  textOf,
  usageOf,
} from '../graph/message-fields.js';
import { AfterGoodbye } from './after-goodbye.js';
import { type CallAction, CallActionCollector, isCallSignal } from './call-actions.js';
import { newInterrupts, type PendingInterrupt } from './interrupts.js';
import { endCallNodeOf, type PartFilter, speaks } from './node-filter.js';
import { StreamedMessages } from './streamed-messages.js';

/** One thing the stream acts on. */
export type StreamEvent =
  /** Speakable text of an AI message (`messageId`, when it has one) or of the custom stream. */
  | { kind: 'text'; text: string; messageId?: string; custom?: true }
  /** A model spoke after its own goodbye (see {@link AfterGoodbye}): not spoken; once per run. */
  | { kind: 'muted'; node: string }
  /** A call action for the LiveKit side (end or transfer the call, press keys). */
  | { kind: 'action'; action: CallAction }
  | { kind: 'usage'; usage: TokenUsage }
  /** The graph called `interrupt(value)`. */
  | ({ kind: 'interrupt' } & PendingInterrupt);

const NONE: readonly StreamEvent[] = Object.freeze([]);

/**
 * Turns the parts of one graph run into {@link StreamEvent}s, keeping the state one run needs:
 * what was streamed of each message ({@link StreamedMessages}), the call actions being
 * assembled ({@link CallActionCollector}), and the interrupts already reported.
 */
export class PartClassifier {
  readonly #filter: PartFilter;
  readonly #messages = new StreamedMessages();
  readonly #actions = new CallActionCollector();
  readonly #interruptIds = new Set<string>();
  readonly #afterGoodbye = new AfterGoodbye();

  constructor(filter: PartFilter) {
    this.#filter = filter;
  }

  /** Whether the run already carries a call-ending action. */
  get ended(): boolean {
    return this.#actions.ended;
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

  /** Reports what is still pending when the run ends (a streamed tool call's final arguments). */
  finish(): readonly StreamEvent[] {
    const events: StreamEvent[] = [];
    this.#actionEvents(events, this.#actions.flush());
    return events;
  }

  #actionEvents(events: StreamEvent[], actions: readonly CallAction[]): void {
    for (const action of actions) {
      this.#afterGoodbye.noteAction(action);
      events.push({ kind: 'action', action });
    }
  }

  /** Text of message `messageId` from `node`, to speak — or muted, after the model's goodbye. */
  #pushText(events: StreamEvent[], text: string, messageId: string | undefined, node: unknown) {
    const muted = this.#afterGoodbye.mutes(node, messageId);
    if (muted === 'first') events.push({ kind: 'muted', node: String(node) });
    if (muted) return;
    this.#afterGoodbye.noteSpoken();
    events.push(
      messageId === undefined ? { kind: 'text', text } : { kind: 'text', text, messageId },
    );
  }

  #message(message: unknown, metadata: unknown): readonly StreamEvent[] {
    if (!isDict(message)) return NONE;
    const meta = isDict(metadata) ? metadata : {};
    const id = typeof message.id === 'string' ? message.id : undefined;
    const node = meta.langgraph_node;
    const events: StreamEvent[] = [];
    this.#actionEvents(events, this.#actions.messageStarted(id));
    const endNode = endCallNodeOf(this.#filter, meta);
    if (endNode !== undefined) this.#actionEvents(events, this.#actions.fromNode(endNode));
    if (!isAIMessage(message)) return events;
    this.#afterGoodbye.noteToolCalls(message, node, id);

    const isChunk = Array.isArray(message.tool_call_chunks);
    if (id !== undefined && this.#messages.has(id)) {
      // the whole of a streamed message, or a chunk of one already completed: only the rest counts
      if (!isChunk) this.#complete(message, id, events, node);
      if (!isChunk || this.#messages.isComplete(id)) return events;
    }
    if (id !== undefined) this.#messages.see(id);
    if (speaks(this.#filter, meta)) {
      const text = textOf(message.content);
      if (id !== undefined) this.#messages.said(id, text);
      if (text) this.#pushText(events, text, id, node);
    }
    const held = id === undefined ? undefined : this.#messages.held(id);
    if (isChunk && held !== undefined && id !== undefined) {
      // the node finished before this first chunk came: the rest will not come
      this.#complete(held, id, events, node);
      return events;
    }
    if (isChunk) {
      this.#actions.addChunks(message.tool_call_chunks as unknown[], id ?? '');
    } else {
      if (id !== undefined) this.#messages.complete(id, textOf(message.content));
      this.#actionEvents(events, this.#actions.fromMessage(message, id));
    }
    this.#usage(message, id, events);
    return events;
  }

  /** Says what the caller has not heard of a streamed message, from its whole version. */
  #complete(message: Dict, id: string, events: StreamEvent[], node: unknown): void {
    const rest = this.#messages.complete(id, textOf(message.content));
    if (rest === undefined) return;
    if (rest) this.#pushText(events, rest, id, node);
    // the whole message has the exact arguments, even if their last fragments were lost
    this.#actionEvents(events, this.#actions.fromMessage(message, id));
    this.#usage(message, id, events);
  }

  /** Token usage, once per message: a streamed message reports it on a chunk or on its whole. */
  #usage(message: Dict, id: string | undefined, events: StreamEvent[]): void {
    const usage = usageOf(message.usage_metadata);
    if (usage && this.#messages.firstUsage(id)) events.push({ kind: 'usage', usage });
  }

  #custom(value: unknown): readonly StreamEvent[] {
    if (isCallSignal(value)) {
      const events: StreamEvent[] = [];
      this.#actionEvents(events, this.#actions.fromSignal(value));
      return events;
    }
    if (typeof value !== 'string' || !value) return NONE;
    this.#afterGoodbye.noteSpoken();
    return [{ kind: 'text', text: value, custom: true }];
  }

  #updates(update: unknown): readonly StreamEvent[] {
    // an update arrives when a node has finished: its streamed messages are complete
    const events: StreamEvent[] = [];
    if (!isDict(update)) {
      this.#actionEvents(events, this.#actions.flush());
      return events;
    }
    for (const [node, value] of Object.entries(update)) {
      if (node === INTERRUPT) continue;
      for (const message of messagesIn(value)) {
        const id = message.id;
        if (typeof id !== 'string' || !isAIMessage(message)) continue;
        // a message no chunk announced may be history a subgraph hands back: never spoken here
        if (this.#messages.has(id)) this.#complete(message, id, events, node);
        else this.#messages.hold(id, message);
      }
    }
    this.#actionEvents(events, this.#actions.flush());
    for (const node of Object.keys(update)) {
      if (node === INTERRUPT) {
        for (const interrupt of newInterrupts(update[node], this.#interruptIds)) {
          events.push({ kind: 'interrupt', ...interrupt });
        }
      } else if (this.#filter.endCallNodes.has(node)) {
        this.#actionEvents(events, this.#actions.fromNode(node));
      }
    }
    return events;
  }
}
