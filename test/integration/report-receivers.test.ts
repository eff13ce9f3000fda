/**
 * The report's receivers do not depend on each other, nor on when they were registered: one that
 * never settles keeps no other from the report, and a job waits for it only `receiverTimeoutMs`;
 * a receiver registered after the call ended gets the report; a session is reported for one room.
 */

import { type JobContext, runWithJobContext, voice } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { withTextSession, withTimeout } from '../../fixtures/session.js';
import type { ReportedRoom } from '../../src/call/report/report-room.js';
import { type CallReport, recordCallAction, reportCall } from '../../src/index.js';
import { captureLogs } from '../helpers/logs.js';
import { collectReports } from '../helpers/reports.js';

const fake = () => new voice.testing.FakeLLM([{ input: 'hi', content: 'Hello!' }]);

/** A room as the report watches it, by name (rtc-node's `Room` has a read-only name). */
const namedRoom = (name: string): ReportedRoom => ({ name, on: () => {}, off: () => {} });

/** The part of a LiveKit job a closing session reads: its room and its shutdown callbacks. */
function jobStandIn() {
  const callbacks: (() => Promise<void>)[] = [];
  const job = {
    room: namedRoom('call-job'),
    addShutdownCallback: (callback: () => Promise<void>) => void callbacks.push(callback),
    // read by agents-js while the session closes: not a simulated job
    simulationContext: () => undefined,
  };
  return { job: job as unknown as JobContext, callbacks };
}

describe('report receivers', () => {
  it('a receiver that never settles keeps neither the others nor the job waiting', async () => {
    const logs = captureLogs();
    const { job, callbacks } = jobStandIn();
    try {
      const report = await withTextSession({ llm: fake() }, async ({ session }) => {
        const hangingWebhook = () => new Promise<void>(() => {});
        reportCall({ session, onReport: hangingWebhook, receiverTimeoutMs: 100 });
        const collector = collectReports(session);
        // closed inside the job, as a job's session is: the report registers its shutdown wait
        await runWithJobContext(job, () => session.close());
        return collector.first();
      });
      expect(report.endedBy).toBe('session_closed');
      expect(callbacks).toHaveLength(1);
      // what agents-js does when the job ends: it awaits every shutdown callback, with no timeout
      await withTimeout(
        Promise.all(callbacks.map((callback) => callback())),
        10_000,
        "the job's shutdown",
      );
      const late = logs.records().filter((r) => r.receiver === 'hangingWebhook');
      expect(late).toEqual([expect.objectContaining({ level: 40, timeoutMs: 100 })]);
    } finally {
      logs.restore();
    }
  });

  it('a receiver registered after the call ended gets the report, with no receiver before the close', async () => {
    const report = await withTextSession({ llm: fake() }, async ({ session }) => {
      recordCallAction(session, { name: 'send_dtmf', digits: '1', ok: true });
      await session.close();
      return collectReports(session).first();
    });
    expect(report.actions.map(({ name }) => name)).toEqual(['send_dtmf']);
  });

  it('refuses a receiver for a session that closed before anything watched it, saying why', async () => {
    await withTextSession({ llm: fake() }, async ({ session }) => {
      await session.close();
      expect(() => reportCall({ session, onReport: () => {} })).toThrow(
        'reportCall: the session closed before anything watched it, so its end is unknown — call reportCall() right after session.start()',
      );
    });
  });

  it('refuses a second room for the same session, saying why', async () => {
    const reports: CallReport[] = [];
    await withTextSession({ llm: fake() }, async ({ session }) => {
      const roomA = namedRoom('room-a');
      const roomB = namedRoom('room-b');
      reportCall({ session, room: roomA, onReport: (r) => void reports.push(r) });
      expect(() => reportCall({ session, room: roomB, onReport: () => {} })).toThrow(
        'reportCall: this session is already reported for room "room-a"; a session runs in one room — pass the same `room` (or none) to every reportCall() of a session',
      );
      // the same room again is fine
      expect(() => reportCall({ session, room: roomA, onReport: () => {} })).not.toThrow();
    });
    expect(reports.map((r) => r.room)).toEqual(['room-a']);
  });
});
