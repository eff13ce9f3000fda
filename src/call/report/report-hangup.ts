/**
 * The hangup's part of the call report: a hangup that starts is the call's ending, unless the call
 * stays up after all (an interrupted goodbye, a cancelled `hangupCall`).
 */
import type { voice } from '@livekit/agents';
import type { HangupInfo } from '../hangup-info.js';
import { recordCallEnding } from './report.js';
import type { ReportedTrigger } from './report-types.js';

// what hangup.ts needs of the report, in one import
export { reportCall } from './report.js';
export { END_TRIGGERS } from './report-contents.js';
export type { ReportedTrigger } from './report-types.js';

/** What the report needs to know of a hangup that starts. */
export interface StartedHangup {
  /** `hangupTool` (the graph asked through `end_call`) or `hangupCall` (the app). */
  config: { owner: 'hangupTool' | 'hangupCall' };
  reason: string;
  /** How the graph asked, as `LLMAdapter` wrote it in the `end_call` arguments. */
  trigger?: ReportedTrigger;
}

/**
 * Records `hangup` as the ending of `session`'s call; `hangup` resolves to `undefined` (or
 * rejects) when the call stayed up.
 */
export function recordHangup(
  // biome-ignore lint/suspicious/noExplicitAny: sessions of any UserData type are hung up
  session: voice.AgentSession<any>,
  { config, reason, trigger }: StartedHangup,
  hangup: Promise<HangupInfo | undefined>,
): void {
  recordCallEnding(session, {
    endedBy: config.owner === 'hangupTool' ? 'graph' : 'app',
    reason,
    ...(trigger && { trigger }),
    // a rejected hangup (its signal aborted) did not end the call
    done: hangup.then(
      (info) => info && { hangup: info },
      () => undefined,
    ),
  });
}
