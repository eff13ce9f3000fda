/**
 * Collects the call reports of a session, for tests of `reportCall()`.
 */
import type { voice } from '@livekit/agents';
import { waitUntil } from '../../fixtures/session.js';
import { type CallReport, type ReportCallOptions, reportCall } from '../../src/index.js';

export interface ReportCollector {
  /** Every report delivered so far. */
  readonly reports: CallReport[];
  /** The first report, once delivered. */
  first(): Promise<CallReport>;
}

/** Registers a receiver for `session`'s report. */
export function collectReports(
  session: voice.AgentSession,
  options: Omit<ReportCallOptions, 'session' | 'onReport'> = {},
): ReportCollector {
  const reports: CallReport[] = [];
  reportCall({ ...options, session, onReport: (report) => void reports.push(report) });
  return {
    reports,
    first: async () => {
      await waitUntil(() => reports.length > 0, 'the call report');
      return reports[0] as CallReport;
    },
  };
}

/**
 * Resolves once a receiver registered now has got the report too: a report is delivered to the
 * earlier receivers before it is to a late one, so the first receiver's count is then final.
 */
export async function reportSettled(session: voice.AgentSession): Promise<CallReport> {
  return collectReports(session).first();
}

/** The transcript as [role, text, interrupted] tuples, for exact assertions. */
export function heard(report: CallReport): [string, string, boolean][] {
  return report.transcript.map((line) => [line.role, line.text, line.interrupted]);
}
