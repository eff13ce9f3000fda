/**
 * Call actions the agent cannot carry out: a request for a tool the agent lacks is not sent (no
 * "Unknown function" result loops back into the graph), is warned about once per session naming
 * the factory to register, is told to the graph in its next input and is reported as failed; a
 * second end or transfer in one run is dropped and logged. agents-js logs through `console.warn`
 * in the tests (test/helpers/setup.ts).
 */
import { llm } from '@livekit/agents';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { sayingGraph, TRANSFER_REASON, transferGraph } from '../../fixtures/graphs.js';
import { eventsOf, withTextSession } from '../../fixtures/session.js';
import { endCall, LLMAdapter, sendDtmf, transferCall } from '../../src/index.js';
import { collectReports } from '../helpers/reports.js';

/** An `end_call` receiver that does nothing and asks for no new turn. */
const recorder = () =>
  llm.tool({
    description: 'ends the call',
    parameters: z.object({ reason: z.string().optional() }),
    execute: async () => undefined,
  });

/** The `msg` of every JSON log line written through `console.warn` so far. */
function warnings(spy: { mock: { calls: unknown[][] } }): string[] {
  return spy.mock.calls.flatMap((args) => {
    try {
      return [String((JSON.parse(String(args[0])) as { msg?: unknown }).msg)];
    } catch {
      // not one of agents-js's JSON log lines
      return [];
    }
  });
}

/** Says "One moment." and asks for the call actions `act` writes. */
const graphDoing = (act: (config: Parameters<typeof endCall>[0]) => void) =>
  sayingGraph('One moment.', act);

describe('call actions the agent cannot carry out', () => {
  afterEach(() => vi.restoreAllMocks());

  it('names the factory to register for each missing tool', async () => {
    const warn = vi.spyOn(console, 'warn');
    const graph = graphDoing((config) => {
      sendDtmf(config, '1');
      transferCall(config, { to: 'billing' });
    });
    await withTextSession({ llm: new LLMAdapter({ graph }) }, async (s) => {
      await s.say('hi');
    });
    const logged = warnings(warn);
    expect(logged).toContain(
      'the graph asked for send_dtmf, but the agent has no such tool, so it was not done (the graph is told): register `tools: { send_dtmf: dtmfTool() }`',
    );
    expect(logged).toContain(
      'the graph asked for transfer_call, but the agent has no such tool, so it was not done (the graph is told): register `tools: { transfer_call: transferTool({ destinations }) }`',
    );
  });

  it('runs the graph once per turn for a transfer nothing receives, tells it next turn, reports it', async () => {
    const warn = vi.spyOn(console, 'warn');
    const inputs: string[][] = [];
    // every turn asks again: the warning comes once per session, the note every time
    const graph = transferGraph('billing', (messages) => {
      inputs.push(messages.map((m) => `${m.getType()}: ${m.text}`));
      return undefined;
    });
    const adapter = new LLMAdapter({ graph });
    const { events, report } = await withTextSession(
      { llm: adapter, tools: { end_call: recorder() } },
      async (s) => {
        adapter.attach(s.session);
        const reports = collectReports(s.session);
        const first = eventsOf(await s.say('Billing, please.'));
        expect(inputs).toHaveLength(1);
        await s.say('Hello?');
        await s.session.close();
        return { events: first, report: await reports.first() };
      },
    );
    expect(events).toEqual([['message', 'assistant', "I'm connecting you to billing now."]]);
    expect(inputs[1]).toEqual([
      'human: Billing, please.',
      "ai: I'm connecting you to billing now.",
      'system: transfer_call is not available on this call (the voice agent has no transfer_call tool), so the caller was NOT transferred to billing and is still on the line with you. Tell them, and help another way.',
      'human: Hello?',
    ]);
    expect(inputs).toHaveLength(2);
    const failed = {
      name: 'transfer_call',
      trigger: 'signal',
      reason: TRANSFER_REASON,
      to: 'billing',
      ok: false,
      error: 'no transfer_call tool',
    };
    expect(report.actions.map(({ at: _, ...action }) => action)).toEqual([failed, failed]);
    expect(warnings(warn).filter((m) => m.startsWith('the graph asked for'))).toHaveLength(1);
  });

  it('sends only the first of an end and a transfer in one run, and logs the other', async () => {
    const warn = vi.spyOn(console, 'warn');
    const graph = graphDoing((config) => {
      transferCall(config, { to: 'billing' });
      endCall(config, { reason: 'too late' });
    });
    // a receiver that does nothing and asks for no new turn: only this run's calls count
    const transfer_call = llm.tool({
      description: 'transfer',
      parameters: z.object({ to: z.string() }),
      execute: async () => undefined,
    });
    await withTextSession(
      { llm: new LLMAdapter({ graph }), tools: { transfer_call } },
      async (s) => {
        const calls = eventsOf(await s.say('hi')).filter(([type]) => type === 'function_call');
        expect(calls).toEqual([['function_call', 'transfer_call', { to: 'billing' }]]);
      },
    );
    expect(warnings(warn)).toContain(
      'the graph asked to end or transfer the call again in the same run; only the first request is carried out',
    );
  });
});
