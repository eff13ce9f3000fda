/**
 * Handing the call report to its receivers: each on its own, so one that throws or never settles
 * (a webhook that hangs) keeps no other from its report, and a job's shutdown waits for them only
 * so long.
 */
import { log } from '@livekit/agents';
import { logFields } from '../speak-then-act/failures.js';
import type { CallReport, ReportReceiver } from './report-types.js';

/** How long a job's shutdown waits for the report's receivers, by default, in ms. */
export const DEFAULT_RECEIVER_TIMEOUT_MS = 5_000;

/**
 * Calls every receiver with `report` at once, each independently; errors they throw are logged.
 * Resolves once all have settled, or when `timeoutMs` have passed: then each receiver still
 * running is named in a warning (it goes on running; only the wait ends).
 */
export async function deliverReport(
  report: CallReport,
  receivers: Iterable<ReportReceiver>,
  timeoutMs: number,
): Promise<void> {
  const running = new Set<ReportReceiver>();
  const deliveries = [...receivers].map(async (receiver) => {
    running.add(receiver);
    try {
      await receiver(report);
    } catch (error) {
      log().error({ receiver: nameOf(receiver), ...logFields(error) }, 'onReport failed');
    } finally {
      running.delete(receiver);
    }
  });
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    // a receiver's wait must not keep a process alive that has nothing else to do
    timer.unref();
  });
  try {
    await Promise.race([Promise.all(deliveries), late]);
  } finally {
    clearTimeout(timer);
  }
  for (const receiver of running) {
    log().warn(
      { receiver: nameOf(receiver), timeoutMs },
      'a call report receiver did not finish in time (`receiverTimeoutMs`); no longer waiting for it',
    );
  }
}

/** A receiver's function name, for logs; arrow functions assigned to a name have one too. */
function nameOf(receiver: ReportReceiver): string {
  return receiver.name || 'an anonymous onReport';
}
