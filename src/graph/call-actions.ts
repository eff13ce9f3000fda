/**
 * The registry of call actions: what a graph can ask the LiveKit side to do with the call. The
 * stream loops over it; a new action is one descriptor next to its graph function and one line
 * here (docs/architecture.md, "Adding a call action").
 *
 * This module may run inside a LangGraph server, so it imports nothing from the LiveKit agents package (the linter enforces it).
 */
import type { CallActionKind, CallTrigger } from './call-action.js';
import { sendDtmfAction } from './dtmf.js';
import { endCallAction } from './end-call.js';
import { transferCallAction } from './transfer.js';

/** Every call action, in the order a custom-stream value is matched against them. */
export const CALL_ACTIONS = [endCallAction, transferCallAction, sendDtmfAction] as const;

type Kind = (typeof CALL_ACTIONS)[number];

/** A call action the graph asked for: its name, how it asked, and its arguments. */
export type CallAction = Kind extends infer K
  ? K extends CallActionKind<infer Name, infer Args>
    ? {
        name: Name;
        /** How the graph asked for it. */
        trigger: CallTrigger;
        /** The model's own tool call, when that is what asked. */
        toolCallId?: string;
        /**
         * Set on a second call-ending action of a run (an end after a transfer, or the reverse):
         * it is not carried out, only reported so the stream can log it.
         */
        dropped?: true;
      } & Args
    : never
  : never;

/** The descriptor of call action `name`; `undefined` for any other tool. */
export function callActionKind(name: string): Kind | undefined {
  return CALL_ACTIONS.find((kind) => kind.name === name);
}

/** The descriptor whose signal `value` is; `undefined` for any other custom-stream value. */
export function signalKind(value: unknown): Kind | undefined {
  return CALL_ACTIONS.find((kind) => kind.isSignal(value));
}

/** Why `action` ends the call, in words; `undefined` for an action that does not end it. */
export function endingReason(action: CallAction): string | undefined {
  const kind = callActionKind(action.name);
  if (!kind?.endsCall) return undefined;
  // each kind's `reason` reads the arguments its own `parse` made, which `action` carries
  return (kind.reason as (args: CallAction) => string)(action);
}
