/**
 * What LiveKit-side tools (transfer, DTMF) record into the call report: their actions, and a
 * transfer that ends the call — or that fails, so the call goes on.
 */
import { voice } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { withTextSession } from '../../fixtures/session.js';
import { recordCallAction, recordCallEnding, type TransferInfo } from '../../src/index.js';
import { collectReports } from '../helpers/reports.js';

const billing: TransferInfo = {
  to: 'billing',
  destination: 'tel:+15105550100',
  reason: 'the caller asked for billing',
  roomName: 'call-1',
  participantIdentity: 'sip_caller',
  playoutWaitMs: 0,
  drainMs: 0,
  requestMs: 1,
};

const fake = () => new voice.testing.FakeLLM([{ input: 'hi', content: 'Hello!' }]);

describe('actions recorded by LiveKit-side tools', () => {
  it('a transfer that ends the call: ended by the transfer, its outcome and the actions in order', async () => {
    const report = await withTextSession({ llm: fake() }, async ({ session, say }) => {
      // recorded before anyone asked for the report: kept all the same
      recordCallAction(session, { name: 'dtmf_received', digits: '2', at: 1 });
      const collector = collectReports(session);
      await say('hi');
      recordCallAction(session, { name: 'send_dtmf', digits: '123#', ok: true, at: 2 });
      recordCallAction(session, {
        name: 'transfer_call',
        to: 'sales',
        ok: false,
        error: 'busy',
        at: 3,
      });
      recordCallEnding(session, {
        endedBy: 'transfer',
        reason: 'the caller asked for billing',
        to: 'billing',
        done: Promise.resolve({ transfer: billing }),
      });
      await session.close();
      return collector.first();
    });
    expect(report).toMatchObject({
      endedBy: 'transfer',
      reason: 'the caller asked for billing',
      to: 'billing',
      transfer: billing,
    });
    expect(report.hangup).toBeUndefined();
    expect(report.actions).toEqual([
      { name: 'dtmf_received', digits: '2', at: 1 },
      { name: 'send_dtmf', digits: '123#', ok: true, at: 2 },
      { name: 'transfer_call', to: 'sales', ok: false, error: 'busy', at: 3 },
    ]);
  });

  it.each([
    ['resolves to undefined', () => Promise.resolve(undefined)],
    ['rejects', () => Promise.reject(new Error('SIP 486 busy'))],
  ])('a transfer whose outcome %s did not end the call', async (_name, done) => {
    const report = await withTextSession({ llm: fake() }, async ({ session }) => {
      const collector = collectReports(session);
      recordCallEnding(session, {
        endedBy: 'transfer',
        reason: 'billing',
        to: 'billing',
        done: done(),
      });
      await session.close();
      return collector.first();
    });
    expect(report).toMatchObject({ endedBy: 'session_closed', reason: 'user_initiated' });
    expect(report.to).toBeUndefined();
  });

  it('delivers once per receiver, and to a receiver registered after the end', async () => {
    const { first, late, twice } = await withTextSession({ llm: fake() }, async ({ session }) => {
      const twice: unknown[] = [];
      const onReport = (report: unknown) => void twice.push(report);
      const { reportCall } = await import('../../src/index.js');
      reportCall({ session, onReport });
      reportCall({ session, onReport });
      const collector = collectReports(session);
      await session.close();
      const first = await collector.first();
      const late = await collectReports(session).first();
      return { first, late, twice };
    });
    expect(late).toBe(first);
    expect(twice).toEqual([first]);
  });

  it('rejects invalid options with a message naming them', async () => {
    const { reportCall } = await import('../../src/index.js');
    await withTextSession({ llm: fake() }, async ({ session }) => {
      expect(() =>
        reportCall({ session, onReport: () => {}, waitForEndMs: -1, roomName: 'x' } as never),
      ).toThrow(/reportCall: invalid options — .*waitForEndMs/);
      expect(() => reportCall({ session } as never)).toThrow(/onReport.*expected a function/);
    });
  });
});
