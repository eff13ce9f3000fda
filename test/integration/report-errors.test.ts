/**
 * The call report when the graph keeps failing: agents-js closes the session with
 * `CloseReason.ERROR` after too many unrecoverable errors in a row, and the report says why.
 */
import { MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { voice } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { withTimeout } from '../../fixtures/session.js';
import { LLMAdapter } from '../../src/index.js';
import { collectReports, heard } from '../helpers/reports.js';

const failingGraph = () =>
  new StateGraph(MessagesAnnotation)
    .addNode('lookup', async (): Promise<typeof MessagesAnnotation.Update> => {
      throw new Error('orders database is down');
    })
    .addEdge(START, 'lookup')
    .compile();

describe('the call report when errors close the session', () => {
  it('is ended by an error, naming the node and the error', async () => {
    const session = new voice.AgentSession({
      llm: new LLMAdapter({ graph: failingGraph(), errorLine: 'Sorry, one moment.' }),
      connOptions: {
        maxUnrecoverableErrors: 0,
        llmConnOptions: { maxRetry: 0, retryIntervalMs: 0 },
      },
    });
    // agents-js re-emits the LLM's error on the session, where it throws without a listener
    const errors: unknown[] = [];
    session.on(voice.AgentSessionEventTypes.Error, (ev) => void errors.push(ev.error));
    await withTimeout(session.start({ agent: new voice.Agent({ instructions: '' }) }));
    const collector = collectReports(session);
    // not events.once(): it rejects on the session's 'error' event, which comes first here
    const closed = new Promise<voice.CloseEvent>((resolve) =>
      session.once(voice.AgentSessionEventTypes.Close, resolve),
    );
    try {
      session.generateReply({ userInput: 'where is my order?' });
      const close = await withTimeout(closed, 10_000, 'the session to close on the error');
      expect(close.reason).toBe(voice.CloseReason.ERROR);
      const report = await collector.first();
      expect(report.endedBy).toBe('error');
      expect(report.reason).toContain('orders database is down');
      expect(report.reason).toContain('lookup');
      // the session closes at once on the error: the error line never played, so it is not there
      expect(heard(report)).toEqual([['user', 'where is my order?', false]]);
      expect(report.hangup).toBeUndefined();
      expect(errors).toHaveLength(1);
    } finally {
      await withTimeout(session.close(), 10_000, 'session.close');
    }
  });
});
