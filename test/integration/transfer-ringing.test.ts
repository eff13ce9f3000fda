/**
 * While the destination rings, the transfer is part of the call: what the caller says gets no
 * graph run, and a caller who hangs up ends the wait — the session closes and the report comes
 * at once, not when the transfer request times out.
 */
import { voice } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { handoffLine, transferGraph } from '../../fixtures/graphs.js';
import { withTextSession, withTimeout } from '../../fixtures/session.js';
import type { StubResponse } from '../../fixtures/twirp-stub.js';
import { type CallReport, LLMAdapter } from '../../src/index.js';
import { collectReports } from '../helpers/reports.js';
import { useTransferFixture } from '../helpers/transfer-fixture.js';

/** Asks for a transfer on its first run, and counts its runs in `runs`. */
const transferringGraph = (runs: { count: number }) =>
  transferGraph('billing', () => (++runs.count > 1 ? 'Yes, I am here.' : undefined));

describe('a transfer while the destination rings', () => {
  const room = useTransferFixture('call-ringing');

  /**
   * Starts a transfer the stand-in answers with `answer`, and has the caller hang up (what RoomIO
   * does when the caller's participant leaves) as soon as the request arrived; returns the report.
   */
  async function hangUpWhileRinging(answer: StubResponse): Promise<CallReport> {
    room.sip.respondWith(answer);
    return withTextSession(
      {
        llm: new LLMAdapter({ graph: transferringGraph({ count: 0 }) }),
        // the default request deadline (30 s) would hold the close and the report that long
        tools: { transfer_call: room.transferTool() },
      },
      async (s) => {
        const reports = collectReports(s.session);
        s.session.generateReply({ userInput: 'I want a person' });
        await withTimeout(room.sip.nextRequest(), 10_000, 'the transfer request');
        s.session.shutdown({ drain: false, reason: voice.CloseReason.PARTICIPANT_DISCONNECTED });
        return withTimeout(reports.first(), 10_000, 'the report after the hangup');
      },
    );
  }

  it('ends at once when the caller hangs up; the report says the caller ended the call', async () => {
    const report = await hangUpWhileRinging('hang');
    expect(report).toMatchObject({ endedBy: 'caller', reason: 'the caller hung up' });
    expect(report.actions.map(({ at: _, ...action }) => action)).toEqual([
      {
        name: 'transfer_call',
        to: 'billing',
        reason: 'refund dispute',
        ok: false,
        error: 'The call ended while billing rang, so nobody was transferred.',
      },
    ]);
    expect(room.transfers).toEqual([]);
  });

  it("still reports a transfer that worked when the caller's leg left a moment before the answer", async () => {
    // LiveKit answers a transfer that worked before the caller's leg hangs up, but the two travel
    // different ways: the leaving may be seen first
    const report = await hangUpWhileRinging({ status: 200, delayMs: 300 });
    expect(report).toMatchObject({ endedBy: 'transfer', to: 'billing' });
    expect(room.transfers.map(({ to }) => to)).toEqual(['billing']);
  });

  it("starts no graph run for the caller's words while it rings", async () => {
    room.sip.respondWith('hang');
    const runs = { count: 0 };
    const adapter = new LLMAdapter({ graph: transferringGraph(runs) });
    await withTextSession(
      { llm: adapter, tools: { transfer_call: room.transferTool() } },
      async (s) => {
        adapter.attach(s.session);
        s.session.generateReply({ userInput: 'I want a person' });
        await withTimeout(room.sip.nextRequest(), 10_000, 'the transfer request');
        const hello = s.session.generateReply({ userInput: 'hello?' });
        await withTimeout(hello.waitForPlayout(), 10_000, 'the reply to "hello?" to end');
        expect(hello.interrupted).toBe(true);
        expect(runs.count).toBe(1);
        expect(s.transcript()).toEqual([
          ['user', 'I want a person'],
          ['assistant', handoffLine('billing')],
          ['user', 'hello?'],
        ]);
      },
    );
  });
});
