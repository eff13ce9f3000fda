/**
 * Call actions: what the graph asks the LiveKit side to do with the call — end it, transfer it,
 * press keys — gathered from every route a graph has to ask: a custom-stream signal, a model tool
 * call (whole, streamed in fragments, or in `invalid_tool_calls` when the model broke its JSON),
 * or an end-call node. Pure: parts of messages in, actions out.
 */

import type { CallTrigger } from '../graph/call-action.js';
import { type CallAction, callActionKind, signalKind } from '../graph/call-actions.js';
import { DEFAULT_END_REASONS, END_CALL } from '../graph/end-call.js';
import { arrayOf, type Dict, isDict, parseJson } from '../graph/message-fields.js';

export type { CallAction } from '../graph/call-actions.js';

/** The arguments of the `FunctionCall` that carries `action` to its LiveKit tool. */
export function actionArgs(action: CallAction): Record<string, unknown> {
  const { name, trigger, toolCallId: _, dropped: __, ...args } = action;
  return callActionKind(name)?.carriesTrigger ? { ...args, trigger } : args;
}

/** Whether a value written to a graph's custom stream is a call action (end, transfer, keys). */
export const isCallSignal = (value: unknown): boolean => signalKind(value) !== undefined;

interface PendingToolCall {
  messageId: string;
  name: string;
  callId: string | undefined;
  args: string;
}

const NONE: readonly CallAction[] = Object.freeze([]);

/**
 * Collects the call actions of one run. A run carries at most one call-ending action, `end_call`
 * or `transfer_call`: the first wins (a goodbye node that also calls `end_call` hangs up once); a
 * later one of the other kind, or a second transfer, comes back marked `dropped`. Key presses
 * come in order, as many as the graph asks for.
 */
export class CallActionCollector {
  /** Streamed tool calls whose arguments are still arriving, by message id and call index. */
  readonly #pending = new Map<string, PendingToolCall>();
  #ended: CallAction['name'] | undefined;

  /** Whether the run already carries a call-ending action. */
  get ended(): boolean {
    return this.#ended !== undefined;
  }

  /** A value the graph wrote to its custom stream: a call action's signal, or nothing. */
  fromSignal(value: unknown): readonly CallAction[] {
    const kind = signalKind(value);
    return kind ? this.#fromArgs(kind.name, value, 'signal') : NONE;
  }

  /** A node that ends the call ran (or streamed). */
  fromNode(node: string): readonly CallAction[] {
    return this.#fromArgs(END_CALL, { reason: `${DEFAULT_END_REASONS.node}: ${node}` }, 'node');
  }

  /**
   * The tool calls of a whole AI message, including `invalid_tool_calls`: a model that broke
   * the arguments' JSON still asked for the action, as it does when the same call is streamed.
   * The whole message supersedes its streamed fragments.
   */
  fromMessage(message: Dict, messageId: string | undefined): readonly CallAction[] {
    if (messageId !== undefined) this.#dropPending(messageId);
    let actions: CallAction[] | undefined;
    for (const call of [...arrayOf(message.tool_calls), ...arrayOf(message.invalid_tool_calls)]) {
      if (!isDict(call) || typeof call.name !== 'string' || !callActionKind(call.name)) continue;
      const args = typeof call.args === 'string' ? parseJson(call.args) : call.args;
      const callId = typeof call.id === 'string' ? call.id : undefined;
      actions = [...(actions ?? []), ...this.#fromArgs(call.name, args, 'tool', callId)];
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
      else if (typeof chunk.name === 'string' && callActionKind(chunk.name)) {
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
      actions.push(
        ...this.#fromArgs(pending.name, parseJson(pending.args), 'tool', pending.callId),
      );
    }
    this.#pending.clear();
    return actions;
  }

  #dropPending(messageId: string): void {
    for (const [key, pending] of this.#pending) {
      if (pending.messageId === messageId) this.#pending.delete(key);
    }
  }

  /** The action of tool `name` (or of a signal of that kind) with arguments `args`, as given. */
  #fromArgs(
    name: string,
    args: unknown,
    trigger: CallTrigger,
    toolCallId?: string,
  ): readonly CallAction[] {
    const kind = callActionKind(name);
    if (!kind) return NONE;
    const action = {
      name: kind.name,
      trigger,
      ...kind.parse(args, trigger),
      ...(toolCallId !== undefined && { toolCallId }),
    } as CallAction;
    // several key presses per run are fine: each one is its own action, in order
    return kind.endsCall ? this.#claim(action) : [action];
  }

  /** `action` when it is the run's first call-ending one; else it is dropped (see the class). */
  #claim(action: CallAction): readonly CallAction[] {
    const first = this.#ended;
    if (first === undefined) {
      this.#ended = action.name;
      return [action];
    }
    // an end-call node whose model also called end_call: one end, as documented; nothing to report
    if (first === END_CALL && action.name === END_CALL) return NONE;
    return [{ ...action, dropped: true }];
  }
}
