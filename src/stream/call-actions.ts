/**
 * Call actions: what the graph asks the LiveKit side to do with the call — end it, transfer it,
 * press keys — gathered from every route a graph has to ask: a custom-stream signal, a model tool
 * call (whole, streamed in fragments, or in `invalid_tool_calls` when the model broke its JSON),
 * or an end-call node. Pure: parts of messages in, actions out.
 */

import type { CallTrigger } from '../graph/call-action.js';
import { isDtmfSignal, SEND_DTMF } from '../graph/dtmf.js';
import { END_CALL, isEndSignal } from '../graph/end-call.js';
import { arrayOf, type Dict, isDict, parseJson, reasonOf } from '../graph/message-fields.js';
import { isTransferSignal, TRANSFER_CALL } from '../graph/transfer.js';

/** What every call action carries besides its arguments. */
interface ActionBase {
  /** How the graph asked for it. */
  trigger: CallTrigger;
  /** The model's own tool call, when that is what asked. */
  toolCallId?: string;
  /**
   * Set on a second call-ending action of a run (an end after a transfer, or the reverse): it is
   * not carried out, only reported so the stream can log it.
   */
  dropped?: true;
}

/** End the call (`end_call { reason }`). */
export interface EndAction extends ActionBase {
  name: typeof END_CALL;
  /** Why, as the graph or the model said it (or a default naming the trigger). */
  reason: string;
}

/** Transfer the call (`transfer_call { to, reason }`). */
export interface TransferAction extends ActionBase {
  name: typeof TRANSFER_CALL;
  /** The destination's name as the graph gave it; `''` when it gave none the LiveKit side can read. */
  to: string;
  reason?: string;
}

/** Press keys (`send_dtmf { digits }`), unchecked: the LiveKit tool validates them and says what is wrong. */
export interface DtmfAction extends ActionBase {
  name: typeof SEND_DTMF;
  digits: string;
}

/** One action for the LiveKit side; it becomes one `FunctionCall` of the same name. */
export type CallAction = EndAction | TransferAction | DtmfAction;

/** The reason given to the hangup when the graph gave none. */
export const DEFAULT_END_REASONS: Readonly<Record<CallTrigger, string>> = {
  signal: 'the graph ended the call',
  tool: 'the model called end_call',
  node: 'an end-call node ran',
};

/** The arguments of the `FunctionCall` that carries `action` to its LiveKit tool. */
export function actionArgs(action: CallAction): Record<string, string> {
  switch (action.name) {
    case END_CALL:
      // the trigger tells the call report how the graph asked (signal, tool call, end-call node)
      return { reason: action.reason, trigger: action.trigger };
    case TRANSFER_CALL:
      return action.reason === undefined
        ? { to: action.to }
        : { to: action.to, reason: action.reason };
    case SEND_DTMF:
      return { digits: action.digits };
  }
}

/** Whether a value written to a graph's custom stream is a call action (end, transfer, keys). */
export const isCallSignal = (value: unknown): boolean =>
  isEndSignal(value) || isTransferSignal(value) || isDtmfSignal(value);

/** The tool calls that are call actions. */
const ACTION_TOOLS: ReadonlySet<string> = new Set([END_CALL, TRANSFER_CALL, SEND_DTMF]);

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

  /** A value the graph wrote to its custom stream: an end, transfer or key-press signal, or nothing. */
  fromSignal(value: unknown): readonly CallAction[] {
    if (isEndSignal(value)) {
      const given = typeof value === 'string' ? undefined : reasonOf(value);
      return this.#claim({
        name: END_CALL,
        trigger: 'signal',
        reason: given ?? DEFAULT_END_REASONS.signal,
      });
    }
    if (isTransferSignal(value) || isDtmfSignal(value)) {
      return this.#fromArgs(value.type === 'transfer' ? TRANSFER_CALL : SEND_DTMF, value, 'signal');
    }
    return NONE;
  }

  /** A node that ends the call ran (or streamed). */
  fromNode(node: string): readonly CallAction[] {
    return this.#claim({
      name: END_CALL,
      trigger: 'node',
      reason: `${DEFAULT_END_REASONS.node}: ${node}`,
    });
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
      if (!isDict(call) || typeof call.name !== 'string' || !ACTION_TOOLS.has(call.name)) continue;
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
  #fromArgs(name: string, args: unknown, trigger: CallTrigger, toolCallId?: string) {
    const withId = <T extends CallAction>(action: T): T =>
      toolCallId === undefined ? action : { ...action, toolCallId };
    if (name === SEND_DTMF) {
      // several key presses per run are fine: each one is its own action, in order
      return [withId({ name: SEND_DTMF, trigger, digits: textArg(args, 'digits') })];
    }
    if (name === TRANSFER_CALL) {
      const reason = reasonOf(args);
      return this.#claim(
        withId({
          name: TRANSFER_CALL,
          trigger,
          to: textArg(args, 'to'),
          ...(reason && { reason }),
        }),
      );
    }
    return this.#claim(
      withId({ name: END_CALL, trigger, reason: reasonOf(args) ?? DEFAULT_END_REASONS.tool }),
    );
  }

  /** `action` when it is the run's first call-ending one; else it is dropped (see the class). */
  #claim(action: EndAction | TransferAction): readonly CallAction[] {
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

/** Argument `key` as text (a number written out); `''` when the graph gave nothing readable. */
function textArg(args: unknown, key: string): string {
  const value = isDict(args) ? args[key] : undefined;
  if (typeof value === 'number') return String(value);
  return typeof value === 'string' ? value.trim() : '';
}
