/**
 * The call report when the graph ends the call: a real graph behind `LLMAdapter`, a real text-mode
 * AgentSession executing `hangupTool()`, the RoomService stand-in. One report per call, naming the
 * trigger, with the transcript and the token usage of every model call.
 */
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { goodbyeGraph, reactGraph, signalGraph } from '../../fixtures/graphs.js';
import { ScriptedChatModel } from '../../fixtures/scripted-chat-model.js';
import { withTextSession, withTimeout } from '../../fixtures/session.js';
import { endCallTool, LLMAdapter, type StreamableGraph } from '../../src/index.js';
import { useHangupFixture } from '../helpers/hangup-fixture.js';
import { collectReports, heard, reportSettled } from '../helpers/reports.js';

const ROOM = 'call-report-graph';

const toolGraph = () =>
  reactGraph(
    new ScriptedChatModel({
      script: [
        {
          text: 'Glad I could help. Bye!',
          toolCalls: [{ name: 'end_call', args: { reason: 'caller said bye' } }],
          usage: { input: 100, output: 12 },
        },
        { text: '', usage: { input: 130, output: 1 } },
      ],
    }),
    [endCallTool],
  ).compile();

const nodeGraph = () => goodbyeGraph('Goodbye.', { end_call: true });

describe('the call report when the graph ends the call', () => {
  const room = useHangupFixture(ROOM);

  /** One turn that ends the call; returns every report delivered to the receiver. */
  async function endingCall(graph: StreamableGraph, threadId?: string) {
    const adapter = new LLMAdapter({ graph, ...(threadId && { threadId }) });
    return withTextSession(
      { llm: adapter, tools: { end_call: room.hangupTool() } },
      async ({ session, say }) => {
        const collector = collectReports(session);
        const closed = once(session, 'close');
        await say('bye');
        await withTimeout(closed, 10_000, 'the session to close after the hangup');
        const report = await collector.first();
        await reportSettled(session);
        return { reports: collector.reports, report };
      },
    );
  }

  it.each([
    ['an endCall() signal', signalGraph, 'signal', 'order placed', 'All set. Goodbye!', 0],
    [
      "the model's end_call tool call",
      toolGraph,
      'tool',
      'caller said bye',
      'Glad I could help. Bye!',
      243,
    ],
    [
      'an end-call node',
      nodeGraph,
      'node',
      'an end-call node ran: goodbye',
      'Your refund is on its way. Goodbye.',
      0,
    ],
  ] as const)(
    '%s: one report, ended by the graph with its trigger',
    async (_name, graph, trigger, reason, spoken, tokens) => {
      const { reports, report } = await endingCall(graph(), 'thread-7');
      expect(reports).toHaveLength(1);
      expect(report).toMatchObject({
        room: ROOM,
        threadId: 'thread-7',
        endedBy: 'graph',
        trigger,
        reason,
      });
      expect(heard(report)).toEqual([
        ['user', 'bye', false],
        ['assistant', spoken, false],
      ]);
      expect(
        report.actions.map(({ name, reason, trigger, ok }) => [name, reason, trigger, ok]),
      ).toEqual([['end_call', reason, trigger, true]]);
      expect(report.hangup).toEqual(room.hangups[0]);
      expect(report.hangup?.action).toBe('delete_room');
      expect(report.usage.totalTokens).toBe(tokens);
      expect(report.durationMs).toBe(report.endedAt - report.startedAt);
      expect(report.endUnfinished).toBeUndefined();
    },
  );

  it('sums the tokens of every model call of every turn', async () => {
    const { report } = await endingCall(toolGraph());
    expect(report.usage).toEqual({
      inputTokens: 230,
      cachedInputTokens: 0,
      outputTokens: 13,
      totalTokens: 243,
    });
  });

  it('measures the first text of each answer (llmNodeTtft) in text mode', async () => {
    const { report } = await endingCall(signalGraph());
    expect(report.latency.turns).toBe(1);
    expect(report.latency.firstTextMs?.p50).toEqual(expect.any(Number));
    expect(report.latency.firstTextMs?.p95).toBe(report.latency.firstTextMs?.p50);
    // no end of speech in text mode: end-to-end needs audio and end-of-turn detection
    expect(report.latency.endToEndMs).toBeUndefined();
  });

  it('reports the thread of the adapter given to the agent, not to the session', async () => {
    const adapter = new LLMAdapter({ graph: signalGraph(), threadId: 'agent-thread' });
    const tools = { end_call: room.hangupTool() };
    const report = await withTextSession({ agentLlm: adapter, tools }, async ({ session, say }) => {
      const collector = collectReports(session);
      await say('bye');
      return collector.first();
    });
    expect(report).toMatchObject({ threadId: 'agent-thread', endedBy: 'graph' });
  });
});
