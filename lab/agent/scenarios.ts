/**
 * The lab jobs' graphs, tools and scripts, one per scenario: real compiled LangGraph graphs with
 * the scripted fake chat model, behind `LLMAdapter`, and the package's LiveKit-side tools.
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { AIMessage } from '@langchain/core/messages';
import { tool } from '@langchain/core/tools';
import {
  END,
  interrupt,
  type LangGraphRunnableConfig,
  MemorySaver,
  MessagesAnnotation,
  START,
  StateGraph,
} from '@langchain/langgraph';
import type { llm, voice } from '@livekit/agents';
import { z } from 'zod';
import { chatGraph, reactGraph } from '../../fixtures/graphs.js';
import { ScriptedChatModel } from '../../fixtures/scripted-chat-model.js';
import {
  dtmfTool,
  endCallTool,
  hangupTool,
  LLMAdapter,
  sendDtmf,
  transferCallTool,
  transferTool,
} from '../../src/index.js';
import { consultTransferTool } from './consult-transfer.js';
import type { JournalWriter } from './journal.js';
import * as say from './lines.js';
import { PlainLLM } from './plain-llm.js';
import { warmTransferTool } from './warm-transfer.js';

/** What a job needs to run a scenario. */
export interface Scenario {
  /** The caller's lines, one per utterance. */
  lines: string[];
  llm: llm.LLM;
  tools: NonNullable<voice.AgentOptions<unknown>['tools']>;
  /** The adapter, to attach to the session (barge-in, caller leaving). */
  adapter?: LLMAdapter;
  /** The graph's messages on the call's thread, for the journal. */
  thread?: () => Promise<unknown[]>;
}

const THREAD = 'lab-call';

/** Builds the scenario `spec` names. */
export function buildScenario(spec: say.ScenarioSpec, record: JournalWriter): Scenario {
  switch (spec.scenario) {
    case 'answer': {
      const lookup = tool(async () => say.ORDER_TOOL_RESULT, {
        name: 'lookup_order',
        description: 'Looks an order up.',
        schema: z.object({ id: z.string() }),
      });
      const model = new ScriptedChatModel({
        script: [
          { text: say.ONE_MOMENT, toolCalls: [{ name: 'lookup_order', args: { id: '42' } }] },
          { text: say.ORDER_ANSWER },
        ],
      });
      const graph = reactGraph(model, [lookup]).compile();
      return { lines: [say.ORDER_QUESTION], llm: new LLMAdapter({ graph }), tools: {} };
    }
    case 'goodbye':
    case 'remove': {
      const model = new ScriptedChatModel({
        script: [
          { text: say.GOODBYE, toolCalls: [{ name: 'end_call', args: { reason: 'done' } }] },
        ],
      });
      // the model's end_call becomes the LiveKit-side hangup; the graph itself stops there
      const graph = chatGraph(model.bindTools([endCallTool])).compile();
      const end_call = hangupTool({
        action: spec.scenario === 'goodbye' ? 'delete_room' : 'remove_participant',
        ...(spec.scenario === 'remove' && { identity: spec.callerIdentity ?? 'caller' }),
        ...(spec.drainMs !== undefined && { drainMs: spec.drainMs }),
        onHangup: (info) => record({ type: 'hangup', ...info, error: info.error?.message }),
      });
      return { lines: [say.THANKS], llm: new LLMAdapter({ graph }), tools: { end_call } };
    }
    case 'keys': {
      const graph = new StateGraph(MessagesAnnotation)
        .addNode('keys', async (_s, config: LangGraphRunnableConfig) => {
          sendDtmf(config, say.KEYS_OUT);
          return { messages: [new AIMessage(say.SENDING_KEYS)] };
        })
        .addNode('pin', async () => {
          const digits = interrupt(say.PIN_QUESTION);
          record({ type: 'resumed', digits });
          return { messages: [new AIMessage(say.pinAccepted(String(digits)))] };
        })
        .addEdge(START, 'keys')
        .addEdge('keys', 'pin')
        .addEdge('pin', END)
        .compile({ checkpointer: new MemorySaver() });
      const adapter = new LLMAdapter({ graph, input: 'latest', threadId: THREAD });
      return {
        lines: [say.PAY],
        llm: adapter,
        adapter,
        tools: { send_dtmf: dtmfTool({ gapMs: 300 }) },
      };
    }
    case 'leave':
    case 'barge-in':
      return longAnswer(spec.scenario, record);
    case 'transfer': {
      // the graph asks for the person and stops; a failed transfer's words come back as the
      // tool's result, and the graph answers them in a second run
      const model = new ScriptedChatModel({
        script: [
          { text: say.CONNECTING, toolCalls: [{ name: 'transfer_call', args: { to: 'person' } }] },
          { text: say.LINE_BUSY },
        ],
      });
      const graph = chatGraph(model.bindTools([transferCallTool])).compile();
      const transfer_call = transferTool({
        destinations: { person: say.PERSON_URI },
        onTransfer: (info) => record({ type: 'transfer', ...info }),
      });
      return {
        lines: [say.PERSON_PLEASE],
        llm: new LLMAdapter({ graph }),
        tools: { transfer_call },
      };
    }
    case 'warm-transfer':
    case 'consult-transfer': {
      // the graph asks for the person as in a cold transfer; the LiveKit-side tool of that name
      // briefs them first (workflows.WarmTransferTask, or the consultation that works on a
      // self-hosted server), and a failure comes back as its result
      const model = new ScriptedChatModel({
        script: [
          { text: say.HOLD_ON, toolCalls: [{ name: 'transfer_call', args: { to: 'person' } }] },
          { text: say.NOT_CONNECTED },
        ],
      });
      if (!spec.sipTrunkId) throw new Error(`lab: ${spec.scenario} needs the spec’s sipTrunkId`);
      const setup = { sipTrunkId: spec.sipTrunkId, callTo: 'person', record };
      const transfer_call =
        spec.scenario === 'warm-transfer' ? warmTransferTool(setup) : consultTransferTool(setup);
      return {
        lines: [say.PERSON_PLEASE],
        llm: new LLMAdapter({ graph: chatGraph(model.bindTools([transferCallTool])).compile() }),
        tools: { transfer_call },
      };
    }
    case 'latency': {
      const model = () => new ScriptedChatModel({ script: [{ text: say.HI }] });
      const graph = chatGraph(model()).compile();
      return {
        lines: [say.HELLO],
        llm: spec.plain ? new PlainLLM(model()) : new LLMAdapter({ graph }),
        tools: {},
      };
    }
  }
}

/**
 * A long answer the graph streams slowly (leave: the caller hangs up while the run still streams)
 * or at once, followed by a silent step (barge-in: the caller talks over the answer while the
 * graph is silent).
 */
function longAnswer(scenario: 'leave' | 'barge-in', record: JournalWriter): Scenario {
  const model = new ScriptedChatModel({
    script: [{ text: say.LONG_ANSWER }, { text: say.STOPPED }],
    tokenDelayMs: scenario === 'leave' ? 250 : 0,
  });
  const graph = new StateGraph(MessagesAnnotation)
    .addNode('agent', async (state, config: LangGraphRunnableConfig) => {
      config.signal?.addEventListener('abort', () =>
        record({ type: 'graph-aborted', node: 'agent' }),
      );
      return { messages: [await model.invoke(state.messages, config)] };
    })
    .addNode('silent', async (state, config: LangGraphRunnableConfig) => {
      const last = state.messages.at(-1);
      if (scenario !== 'barge-in' || last?.text !== say.LONG_ANSWER) return {};
      // a slow tool the graph runs after its answer: the stream says nothing meanwhile
      record({ type: 'silent-step' });
      try {
        await sleep(30_000, undefined, { signal: config.signal });
      } catch {
        record({ type: 'graph-aborted', node: 'silent' });
      }
      return {};
    })
    .addEdge(START, 'agent')
    .addEdge('agent', 'silent')
    .addEdge('silent', END)
    .compile({ checkpointer: new MemorySaver() });
  const adapter = new LLMAdapter({ graph, input: 'latest', threadId: THREAD });
  return {
    lines: [say.HOURS, say.WAIT],
    llm: adapter,
    adapter,
    tools: {},
    thread: async () =>
      (await graph.getState({ configurable: { thread_id: THREAD } })).values.messages.map(
        (m: { getType(): string; text: string }) => ({ type: m.getType(), text: m.text }),
      ),
  };
}
