import { describe, expect, it } from 'vitest';
import { deliverReport } from '../../../src/call/report/report-delivery.js';
import type { CallReport } from '../../../src/index.js';
import { captureLogs } from '../../helpers/logs.js';

const report = { endedBy: 'caller', reason: 'the caller hung up' } as CallReport;

describe('deliverReport', () => {
  it('delivers to every receiver whatever the others do, and stops waiting for a hanging one, naming it', async () => {
    const logs = captureLogs();
    try {
      const got: string[] = [];
      const hangingWebhook = () => new Promise<void>(() => {});
      const failing = () => {
        throw new Error('disk full');
      };
      const archive = async (r: CallReport) => void got.push(r.endedBy);
      await deliverReport(report, [hangingWebhook, failing, archive], 50);
      expect(got).toEqual(['caller']);
      const records = logs.records();
      expect(records).toContainEqual(
        expect.objectContaining({
          receiver: 'failing',
          error: 'disk full',
          msg: 'onReport failed',
        }),
      );
      const late = records.filter((r) => r.timeoutMs === 50);
      expect(late.map((r) => r.receiver)).toEqual(['hangingWebhook']);
    } finally {
      logs.restore();
    }
  });

  it('ends its wait as soon as every receiver settled', async () => {
    const got: CallReport[] = [];
    // a wait of an hour would fail the test by its own timeout
    await deliverReport(report, [(r) => void got.push(r)], 3_600_000);
    expect(got).toEqual([report]);
  });
});
