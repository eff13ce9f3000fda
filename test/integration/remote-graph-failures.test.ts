/**
 * A RemoteGraph whose LangGraph Server is down, or dies mid-run: the turn fails within seconds
 * with a message that names the server, and never shows the API key. Against real
 * `langgraphjs dev` servers (killed and restarted) and a port nobody listens on.
 */
import { RemoteGraph } from '@langchain/langgraph/remote';
import type { llm } from '@livekit/agents';
import { afterEach, describe, expect, it } from 'vitest';
import {
  freePort,
  type LangGraphServer,
  startLangGraphServer,
} from '../../fixtures/langgraph-server.js';
import {
  agentSpeaking,
  eventsOf,
  waitUntil,
  withTextSession,
  withTimeout,
} from '../../fixtures/session.js';
import { LLMAdapter } from '../../src/index.js';
import { type CapturedLogs, captureLogs } from '../helpers/logs.js';

type LLMError = Parameters<llm.LLMCallbacks['error']>[0];

/** Sent as `x-api-key`; it must appear in no error and no log line. */
const API_KEY = 'lsv2_pt_0123456789abcdef_secretsecret';

/** agents-js's defaults (`DEFAULT_API_CONNECT_OPTIONS`): 3 retries, 2 s apart after the first. */
const SESSION_RETRIES = { maxRetry: 3, retryIntervalMs: 2_000 };

let logs: CapturedLogs;
const servers: LangGraphServer[] = [];
afterEach(async () => {
  logs?.restore();
  await Promise.all(servers.splice(0).map((s) => s.stop()));
});

function errorsOf(adapter: LLMAdapter): LLMError[] {
  const errors: LLMError[] = [];
  adapter.on('error', (error) => errors.push(error));
  return errors;
}

/** Nothing in the errors or the logs carries the API key. */
function expectNoKey(errors: LLMError[]): void {
  const errorText = errors.map((e) => `${e.error.message} ${String(e.error.cause)}`).join('\n');
  expect(errorText).not.toContain(API_KEY);
  expect(logs.text()).not.toContain(API_KEY);
}

describe('LangGraph Server down', () => {
  it('fails a turn, naming the server and what to check', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const adapter = new LLMAdapter({
      graph: new RemoteGraph({ graphId: 'echo', url, apiKey: API_KEY }),
    });
    const errors = errorsOf(adapter);
    logs = captureLogs();
    await withTextSession(
      { llm: adapter, llmConnOptions: SESSION_RETRIES },
      async ({ session }) => {
        session.run({ userInput: 'hello?' });
        // how soon is a figure (bench/deadlines.ts); here, that it fails with the right words
        await waitUntil(() => errors.length > 0, 'the turn to fail', 20_000);
      },
    );
    expect(errors.map((e) => [e.recoverable, e.error.message])).toEqual([
      [
        false,
        `LangGraph run failed: RemoteServerError: LangGraph Server at ${url} is unreachable ` +
          "(ECONNREFUSED) — check that the server is running (`langgraph dev` locally, or your deployment) and that the RemoteGraph's url is right (after 4 attempts)",
      ],
    ]);
    expectNoKey(errors);
  }, 30_000);

  it('says the server closed the stream when it dies mid-run, and the next turn works once it is back', async () => {
    const first = await startLangGraphServer();
    servers.push(first);
    const port = Number(new URL(first.url).port);
    const adapter = new LLMAdapter({
      graph: new RemoteGraph({ graphId: 'slow', url: first.url, apiKey: API_KEY }),
      threadId: 'call-remote-killed',
    });
    const errors = errorsOf(adapter);
    logs = captureLogs();
    await withTextSession({ llm: adapter }, async ({ session, say }) => {
      const speaking = agentSpeaking(session);
      const run = session.run({ userInput: 'tell me everything' });
      await withTimeout(speaking, 10_000, 'the first words');
      await first.stop();
      await waitUntil(() => errors.length > 0, 'the turn to fail');
      await withTimeout(run.wait(), 10_000, 'the failed turn');
      expect(errors.map((e) => [e.recoverable, e.error.message])).toEqual([
        [
          false,
          `LangGraph run failed: RemoteServerError: LangGraph Server at ${first.url} closed the ` +
            "stream mid-run (terminated) — check the server's logs: it crashed, restarted or was redeployed",
        ],
      ]);

      servers.push(await startLangGraphServer({ port }));
      expect(eventsOf(await say('and now briefly?'))).toEqual([
        ['message', 'assistant', 'Short answer.'],
      ]);
    });
    expectNoKey(errors);
  }, 90_000);
});
