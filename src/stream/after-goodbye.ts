/**
 * What a model says after its own goodbye stays unspoken. A plain ReAct loop (`tools` → `agent`)
 * calls the model again once `end_call` has run; the model reads "do not say anything else" and
 * often says something anyway ("Is there anything else I can do?"), which the caller would hear
 * right after "Goodbye!", before the line goes dead. Pure: the classifier reports, the stream
 * decides.
 */

import { SEND_DTMF } from '../graph/dtmf.js';
import { arrayOf, type Dict, isDict } from '../graph/message-fields.js';
import type { CallAction } from './call-actions.js';

/** The warning, once per run, when a model's words after its goodbye were muted. */
export const SPOKE_AFTER_GOODBYE =
  'the model spoke again after its end_call or transfer_call in the same run; the caller does not hear it: route the tools node to END after end_call (docs/ending-calls.md)';

/** The node and message of a model's tool call. */
interface Caller {
  readonly node: string;
  readonly messageId: string;
}

/**
 * Follows one run: which model message asked to end or transfer the call with a tool call, and
 * whether the run had said anything before it. From then on, text of that model's node in any
 * later message of the run is muted — the goodbye came with the tool call, anything after it is
 * too much. A run that said nothing before the tool call still speaks the model's next reply:
 * then that reply is the goodbye. `endCall()` and end-call nodes are not affected: everything a
 * graph says in their run is spoken, as documented.
 */
export class AfterGoodbye {
  /** The model tool calls seen in this run, by call id. */
  readonly #callers = new Map<string, Caller>();
  #closer: Caller | undefined;
  #spoke = false;
  #muted = false;

  /** Notes the tool calls (whole or streamed) of an AI message part from `node`. */
  noteToolCalls(message: Dict, node: unknown, messageId: string | undefined): void {
    if (typeof node !== 'string' || messageId === undefined || this.#closer) return;
    const calls = [...arrayOf(message.tool_calls), ...arrayOf(message.tool_call_chunks)];
    for (const call of calls) {
      if (isDict(call) && typeof call.id === 'string' && call.id) {
        this.#callers.set(call.id, { node, messageId });
      }
    }
  }

  /** Notes that the run said something the caller hears. */
  noteSpoken(): void {
    this.#spoke = true;
  }

  /** Notes a call action the run asks for: a model's end or transfer after words closes its node. */
  noteAction(action: CallAction): void {
    if (this.#closer || !this.#spoke || action.dropped) return;
    if (action.name === SEND_DTMF || action.trigger !== 'tool') return;
    if (action.toolCallId !== undefined) this.#closer = this.#callers.get(action.toolCallId);
  }

  /**
   * Whether text of message `messageId` from `node` comes after the model's own goodbye:
   * `'first'` the first time in the run (to warn once), `true` after that, `false` if not.
   */
  mutes(node: unknown, messageId: string | undefined): boolean | 'first' {
    const closer = this.#closer;
    if (closer === undefined || node !== closer.node || messageId === closer.messageId)
      return false;
    if (this.#muted) return true;
    this.#muted = true;
    return 'first';
  }
}
