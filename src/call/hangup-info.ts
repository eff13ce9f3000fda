/**
 * What a hangup reports. Its own module so the call report can carry it without an import circle
 * (the hangup's options take the report's receiver).
 */

/** What happened when the call was hung up: passed to `onHangup`, returned by `hangupCall`. */
export interface HangupInfo {
  /** Why the call ended: the `reason` of the `end_call` call or of `hangupCall`. @default 'end_call' */
  reason: string;
  /** The room the call ran in (`roomName`, else the job's room); `undefined` when unknown. */
  roomName: string | undefined;
  /** The action taken; `'custom'` for a function action. */
  action: 'delete_room' | 'remove_participant' | 'none' | 'custom';
  /** How long the hangup waited for the goodbye to finish playing, in ms. */
  playoutWaitMs: number;
  /**
   * How long the action came after the goodbye's audio finished playing locally, in ms: about the
   * `drainMs` option; 0 when the drain was skipped (no goodbye audio, `drainMs: 0`, or a timeout).
   */
  drainMs: number;
  /** Whether the goodbye was interrupted (the call is then ended only with `hangupWhenInterrupted`). */
  interrupted: boolean;
  /** Whether the goodbye was still playing after `playoutTimeoutMs`, so the call was cut. */
  timedOut: boolean;
  /**
   * Why the action failed after its retries, or that it outlived `actionTimeoutMs`; the session
   * was shut down all the same.
   */
  error?: Error;
}
