import { llm } from '@livekit/agents';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { endCall, LLMAdapter, sendDtmf, transferCall } from '../../src/index.js';
import { sayingGraph } from '../helpers/graphs.js';
import { eventsOf, withTextSession } from '../helpers/session.js';

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
      'the graph asked for send_dtmf, but the agent has no such tool: register `tools: { send_dtmf: dtmfTool() }`',
    );
    expect(logged).toContain(
      'the graph asked for transfer_call, but the agent has no such tool: register `tools: { transfer_call: transferTool({ destinations }) }`',
    );
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
