/**
 * No dead air: a turn that says nothing in time is stopped, a failure a retry cannot fix is not
 * retried, and the caller hears a short line instead of silence when a turn fails.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { AIMessage } from '@langchain/core/messages';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { type llm, voice } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { eventsOf, withTextSession, withTimeout } from '../../fixtures/session.js';
import { DEFAULT_ERROR_LINE } from '../../src/adapter-options.js';
import { LLMAdapter, type LLMAdapterOptions } from '../../src/index.js';
import { MAX_CUSTOM_WRITE_CHARS } from '../../src/stream/chunk-writer.js';
import { captureLogs } from '../helpers/logs.js';

type LLMError = Parameters<llm.LLMCallbacks['error']>[0];

/** A one-node graph whose node does `turns[n]` on its n-th run (then answers "Here I am."). */
function scriptedNode(turns: (() => Promise<string>)[]) {
  let runs = 0;
  const graph = new StateGraph(MessagesAnnotation)
    .addNode('work', async () => {
      const turn = turns[runs++];
      const text = turn ? await turn() : 'Here I am.';
      return { messages: [new AIMessage(text)] };
    })
    .addEdge(START, 'work')
    .addEdge('work', END)
    .compile();
  return { graph, runs: () => runs };
}

const never = () => new Promise<string>(() => {});
const fails = (error: Error) => async (): Promise<string> => {
  throw error;
};

/** Runs `inputs` as turns of one text session; returns each turn's events and the errors. */
async function call(
  options: Omit<LLMAdapterOptions, 'graph'> & { graph: LLMAdapterOptions['graph'] },
  inputs: string[],
  timeoutMs = 1_000,
) {
  const adapter = new LLMAdapter(options);
  const errors: LLMError[] = [];
  adapter.on('error', (error) => errors.push(error));
  const turns: { events: unknown[][] }[] = [];
  await withTextSession(
    { llm: adapter, llmConnOptions: { timeoutMs, maxRetry: 3, retryIntervalMs: 50 } },
    async ({ say }) => {
      for (const input of inputs) {
        turns.push({ events: eventsOf(await say(input)) });
      }
    },
  );
  return { turns, errors };
}

describe('no dead air', () => {
  it('stops a graph that says nothing within the deadline; the caller hears the error line, the next turn answers', async () => {
    const { graph, runs } = scriptedNode([never]);
    const { turns, errors } = await call({ graph }, ['hello?', 'still there?']);
    expect(turns.map((t) => t.events)).toEqual([
      [['message', 'assistant', DEFAULT_ERROR_LINE]],
      [['message', 'assistant', 'Here I am.']],
    ]);
    expect(errors.map((e) => [e.recoverable, e.error.message])).toEqual([
      [
        false,
        expect.stringMatching(
          /^LangGraph run said nothing within 1000 ms \(node "work" was still running\)/,
        ),
      ],
    ]);
    expect(runs()).toBe(2);
  });

  it('stops a graph that says something and then hangs; the caller hears the error line, the next turn answers', async () => {
    let runs = 0;
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('work', async (_s, config) => {
        if (runs++ > 0) return { messages: [new AIMessage('Here I am.')] };
        config.writer?.('Let me check that.');
        return never().then(() => ({}));
      })
      .addEdge(START, 'work')
      .addEdge('work', END)
      .compile();
    const { turns, errors } = await call({ graph }, ['where is my order?', 'hello?']);
    expect(turns.map((t) => t.events)).toEqual([
      [['message', 'assistant', `Let me check that. ${DEFAULT_ERROR_LINE}`]],
      [['message', 'assistant', 'Here I am.']],
    ]);
    expect(errors.map((e) => [e.recoverable, e.error.message])).toEqual([
      [
        false,
        expect.stringMatching(
          /^LangGraph run went silent for 1000 ms after it began to speak \(node "work" was still running\) — .*`outputGapTimeoutMs`$/,
        ),
      ],
    ]);
  });

  it('lets the adapter give a graph known to run long more time', async () => {
    const { graph } = scriptedNode([() => sleep(1_500).then(() => 'Found it.')]);
    const { turns, errors } = await call({ graph, firstOutputTimeoutMs: 5_000 }, ['look it up']);
    expect(turns.map((t) => t.events)).toEqual([[['message', 'assistant', 'Found it.']]]);
    expect(errors).toEqual([]);
  });

  it('does not retry an error of your own code', async () => {
    const { graph, runs } = scriptedNode([fails(new Error('database is down'))]);
    const { turns, errors } = await call({ graph, errorLine: false }, ['my order?']);
    expect(turns[0]?.events).toEqual([]);
    expect(runs()).toBe(1);
    expect(errors.map((e) => e.error.message)).toEqual([
      'LangGraph run failed in node "work": Error: database is down',
    ]);
  });

  it('retries a connection failure, and the caller hears the answer once', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), {
      code: 'ECONNREFUSED',
    });
    const { graph, runs } = scriptedNode([fails(refused)]);
    const { turns, errors } = await call({ graph }, ['hello?']);
    expect(turns[0]?.events).toEqual([['message', 'assistant', 'Here I am.']]);
    expect([runs(), errors]).toEqual([2, []]);
  });

  it('says the error line for the first failed turns in a row only, so a failing graph meets the session limit', async () => {
    const broken = fails(new Error('database is down'));
    const { graph } = scriptedNode([broken, broken, broken]);
    const { turns } = await call({ graph, errorLine: 'Sorry, one moment.' }, ['a', 'b', 'c', 'd']);
    expect(turns.map((t) => t.events)).toEqual([
      [['message', 'assistant', 'Sorry, one moment.']],
      [['message', 'assistant', 'Sorry, one moment.']],
      [],
      [['message', 'assistant', 'Here I am.']],
    ]);
  });
});

describe('turns that keep failing', () => {
  it('close the session on the sixth failed turn: two error lines, then four silent failures', async () => {
    const broken = fails(new Error('database is down'));
    const { graph, runs } = scriptedNode(Array.from({ length: 10 }, () => broken));
    const adapter = new LLMAdapter({ graph });
    // agents-js's default: it closes once more than 3 errors come in a row while the agent is silent
    const session = new voice.AgentSession({
      llm: adapter,
      connOptions: { maxUnrecoverableErrors: 3, llmConnOptions: { maxRetry: 0 } },
    });
    // agents-js re-emits the LLM's error on the session, where it throws without a listener
    session.on(voice.AgentSessionEventTypes.Error, () => {});
    const closed = new Promise<voice.CloseEvent>((resolve) =>
      session.once(voice.AgentSessionEventTypes.Close, resolve),
    );
    let isClosed = false;
    void closed.then(() => {
      isClosed = true;
    });
    await withTimeout(session.start({ agent: new voice.Agent({ instructions: '' }) }));
    try {
      while (!isClosed && runs() < 10) {
        const reply = session.generateReply({ userInput: `turn ${runs() + 1}` });
        await withTimeout(reply.waitForPlayout(), 10_000, 'a failed turn');
        // the close after the last failure comes a few event-loop turns after its reply ended
        await Promise.race([closed, new Promise((resolve) => setImmediate(resolve))]);
      }
      expect((await closed).reason).toBe(voice.CloseReason.ERROR);
      expect(runs()).toBe(6);
      const lines = session.history.items.filter(
        (item) => item.type === 'message' && item.role === 'assistant',
      );
      expect(lines.map((item) => (item as { textContent?: string }).textContent)).toEqual([
        DEFAULT_ERROR_LINE,
        DEFAULT_ERROR_LINE,
      ]);
    } finally {
      await withTimeout(session.close(), 10_000, 'session.close');
    }
  });
});

describe('a custom-stream write too long to speak', () => {
  it('is cut to MAX_CUSTOM_WRITE_CHARS, with a warning', async () => {
    const graph = new StateGraph(MessagesAnnotation)
      .addNode('dump', async (_s, config) => {
        config.writer?.('x'.repeat(1_000_000));
        return {};
      })
      .addEdge(START, 'dump')
      .addEdge('dump', END)
      .compile();
    const warnings = captureLogs();
    try {
      const { turns } = await call({ graph }, ['read me everything']);
      const spoken = turns[0]?.events[0]?.[2] as string;
      expect(spoken).toHaveLength(MAX_CUSTOM_WRITE_CHARS);
      const cut = warnings.records().filter((r) => String(r.msg).includes('too long to speak'));
      expect(cut.map((r) => [r.length, r.kept])).toEqual([[1_000_000, MAX_CUSTOM_WRITE_CHARS]]);
    } finally {
      warnings.restore();
    }
  });
});
