import { describe, expect, it } from 'vitest';
import { type RecordedEnd, settle } from '../../../src/call/report/report-settle.js';

const end = (done: RecordedEnd['done'], at = 1): RecordedEnd => ({
  endedBy: 'transfer',
  reason: 'billing',
  to: 'billing',
  done,
  at,
});

describe('settle', () => {
  it('keeps the ends that ended the call, with their outcome, and drops those that did not', async () => {
    const transfer = {
      transfer: {
        to: 'billing',
        destination: 'tel:+15105550100',
        reason: undefined,
        roomName: 'call-1',
        participantIdentity: 'sip_caller',
        playoutWaitMs: 0,
        drainMs: 0,
        requestMs: 0,
      },
    };
    const settled = await settle(
      [end(Promise.resolve(transfer), 1), end(Promise.resolve(undefined), 2)],
      10_000,
    );
    expect(settled).toEqual([
      {
        started: { ending: { endedBy: 'transfer', reason: 'billing', to: 'billing' }, at: 1 },
        outcome: transfer,
      },
    ]);
  });

  it('reports an end still under way at the deadline without an outcome', async () => {
    const settled = await settle([end(new Promise(() => {}))], 10);
    expect(settled.map(({ outcome }) => outcome)).toEqual([undefined]);
  });
});
