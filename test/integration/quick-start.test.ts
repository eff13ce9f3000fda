/**
 * The README quick start (examples/quick-start/agent.ts, the same code) with a model that does
 * what real models do after `end_call`'s result: say one more thing. The caller must hear the
 * goodbye and nothing after it — through the quick start's routing, and, for a graph that loops
 * back to the model as a plain ReAct graph does, through the adapter itself.
 */

import { llm } from '@livekit/agents';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { GOODBYE, reactGraph, SAYS_MORE_AFTER_GOODBYE } from '../../fixtures/graphs.js';
import { ScriptedChatModel } from '../../fixtures/scripted-chat-model.js';
import { eventsOf, withTextSession } from '../../fixtures/session.js';
import { END_CALL, endCallTool, LLMAdapter } from '../../src/index.js';
import { captureLogs } from '../helpers/logs.js';

/** The ChatOpenAI instances the quick start made (one, at import). */
const made = vi.hoisted(() => [] as ScriptedChatModel[]);

vi.mock('@langchain/openai', async () => {
  const scripted = await import('../../fixtures/scripted-chat-model.js');
  const { SAYS_MORE_AFTER_GOODBYE } = await import('../../fixtures/graphs.js');
  return {
    ChatOpenAI: class extends scripted.ScriptedChatModel {
      constructor() {
        super({ script: SAYS_MORE_AFTER_GOODBYE });
        made.push(this);
      }
    },
  };
});

/** An `end_call` receiver that records the reasons, as a test stands in for `hangupTool()`. */
function endCallRecorder(ended: string[]) {
  return llm.tool({
    description: 'records the end of the call',
    parameters: z.object({ reason: z.string().optional(), trigger: z.string().optional() }),
    execute: async ({ reason }) => void ended.push(reason ?? ''),
  });
}

/** One "bye" turn through a real text-mode session; what the caller heard and what hung up. */
async function byeTurn(graph: ConstructorParameters<typeof LLMAdapter>[0]['graph']) {
  const ended: string[] = [];
  const events = await withTextSession(
    { llm: new LLMAdapter({ graph }), tools: { end_call: endCallRecorder(ended) } },
    async ({ say }) => eventsOf(await say('That is all, bye!')),
  );
  return { events, ended };
}

describe('the README quick start', () => {
  it('says the goodbye, hangs up once, and never asks the model for more', async () => {
    const { graph } = await import('../../examples/quick-start/agent.js');
    const { events, ended } = await byeTurn(graph);
    expect(events).toEqual([
      ['message', 'assistant', GOODBYE],
      ['function_call', END_CALL, { reason: 'caller said goodbye', trigger: 'tool' }],
      ['function_call_output', END_CALL, ''],
    ]);
    expect(ended).toEqual(['caller said goodbye']);
    expect(made.map((model) => model.calls.length)).toEqual([1]);
  });
});

describe('a ReAct graph that asks the model again after end_call', () => {
  it('speaks the goodbye only, and warns once that the model said more', async () => {
    const model = new ScriptedChatModel({ script: SAYS_MORE_AFTER_GOODBYE });
    const logs = captureLogs();
    try {
      const { events, ended } = await byeTurn(reactGraph(model, [endCallTool]).compile());
      expect(model.calls.length).toBe(2);
      expect(events.filter(([type]) => type === 'message')).toEqual([
        ['message', 'assistant', GOODBYE],
      ]);
      expect(ended).toEqual(['caller said goodbye']);
      const warnings = logs.records().filter((r) => String(r.msg).includes('spoke again after'));
      expect(warnings.map((r) => r.node)).toEqual(['agent']);
    } finally {
      logs.restore();
    }
  });
});
