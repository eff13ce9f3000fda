/**
 * Call actions: what the graph asks the LiveKit side to do with the call, gathered from every
 * route a graph has to ask — a custom-stream signal, a model tool call (whole, streamed in
 * fragments, or in `invalid_tool_calls` when the model broke its JSON), or an end-call node.
 * Pure: parts of messages in, actions out.
 */
import { END_CALL, isEndSignal } from '../graph/end-call.js';
import { arrayOf, type Dict, isDict, parseJson, reasonOf } from '../graph/message-fields.js';

/** What ended the call: the graph's `end` signal, the model's `end_call` tool call, or an end-call node. */
export type EndTrigger = 'signal' | 'tool' | 'node';

/** One action for the LiveKit side; it becomes one `FunctionCall` of the same name. */
export interface CallAction {
  /** The LiveKit tool that carries it out. */
  name: typeof END_CALL;
  /** How the graph asked for it. */
  trigger: EndTrigger;
  /** Why, as the graph or the model said it (or a default naming the trigger). */
  reason: string;
  /** The model's own tool call, when that is what asked. */
  toolCallId?: string;
}

/** The reason given to the hangup when the graph gave none. */
export const DEFAULT_END_REASONS: Readonly<Record<EndTrigger, string>> = {
  signal: 'the graph ended the call',
  tool: 'the model called end_call',
  node: 'an end-call node ran',
};

/** The tool calls that are call actions. */
const ACTION_TOOLS: ReadonlySet<string> = new Set([END_CALL]);

interface PendingToolCall {
  messageId: string;
  name: string;
  callId: string | undefined;
  args: string;
}

const NONE: readonly CallAction[] = Object.freeze([]);

/**
 * Collects the call actions of one run. A run carries at most one call-ending action (the first
 * wins: a goodbye node that also calls `end_call` hangs up once).
 */
export class CallActionCollector {
  /** Streamed tool calls whose arguments are still arriving, by message id and call index. */
  readonly #pending = new Map<string, PendingToolCall>();
  #ended = false;

  /** Whether the run already carries a call-ending action. */
  get ended(): boolean {
    return this.#ended;
  }

  /** A value the graph wrote to its custom stream: an end signal, or nothing. */
  fromSignal(value: unknown): readonly CallAction[] {
    if (!isEndSignal(value)) return NONE;
    const given = typeof value === 'string' ? undefined : reasonOf(value);
    return this.#end('signal', given ?? DEFAULT_END_REASONS.signal);
  }

  /** A node that ends the call ran (or streamed). */
  fromNode(node: string): readonly CallAction[] {
    return this.#end('node', `${DEFAULT_END_REASONS.node}: ${node}`);
  }

  /**
   * The tool calls of a whole AI message, including `invalid_tool_calls`: a model that broke
   * the arguments' JSON still asked to hang up, as it does when the same call is streamed. The
   * whole message supersedes its streamed fragments.
   */
  fromMessage(message: Dict, messageId: string | undefined): readonly CallAction[] {
    if (messageId !== undefined) this.#dropPending(messageId);
    let actions: CallAction[] | undefined;
    for (const call of [...arrayOf(message.tool_calls), ...arrayOf(message.invalid_tool_calls)]) {
      if (!isDict(call) || typeof call.name !== 'string' || !ACTION_TOOLS.has(call.name)) continue;
      const args = typeof call.args === 'string' ? parseJson(call.args) : call.args;
      const callId = typeof call.id === 'string' ? call.id : undefined;
      actions = [
        ...(actions ?? []),
        ...this.#end('tool', reasonOf(args) ?? DEFAULT_END_REASONS.tool, callId),
      ];
    }
    return actions ?? NONE;
  }

  /** Fragments of streamed tool calls (`tool_call_chunks`): the name comes first, then the arguments. */
  addChunks(chunks: readonly unknown[], messageId: string): void {
    for (const chunk of chunks) {
      if (!isDict(chunk)) continue;
      const key = `${messageId}:${String(chunk.index ?? chunk.id)}`;
      const pending = this.#pending.get(key);
      const args = typeof chunk.args === 'string' ? chunk.args : '';
      if (pending) pending.args += args;
      else if (typeof chunk.name === 'string' && ACTION_TOOLS.has(chunk.name)) {
        const callId = typeof chunk.id === 'string' ? chunk.id : undefined;
        this.#pending.set(key, { messageId, name: chunk.name, callId, args });
      }
    }
  }

  /** A part of message `messageId` arrived: the streamed calls of other messages are complete. */
  messageStarted(messageId: string | undefined): readonly CallAction[] {
    for (const pending of this.#pending.values()) {
      if (pending.messageId !== messageId) return this.flush();
    }
    return NONE;
  }

  /** The streamed calls whose arguments are final (a node finished, or the run ended). */
  flush(): readonly CallAction[] {
    if (this.#pending.size === 0) return NONE;
    const actions: CallAction[] = [];
    for (const pending of this.#pending.values()) {
      const reason = reasonOf(parseJson(pending.args)) ?? DEFAULT_END_REASONS.tool;
      actions.push(...this.#end('tool', reason, pending.callId));
    }
    this.#pending.clear();
    return actions;
  }

  #dropPending(messageId: string): void {
    for (const [key, pending] of this.#pending) {
      if (pending.messageId === messageId) this.#pending.delete(key);
    }
  }

  #end(trigger: EndTrigger, reason: string, toolCallId?: string): readonly CallAction[] {
    if (this.#ended) return NONE;
    this.#ended = true;
    const action: CallAction = { name: END_CALL, trigger, reason };
    if (toolCallId !== undefined) action.toolCallId = toolCallId;
    return [action];
  }
}
