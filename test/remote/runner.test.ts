import { MemorySaver } from '@langchain/langgraph';
import { RemoteGraph } from '@langchain/langgraph/remote';
import { Future } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { chatGraph, echoModel } from '../../fixtures/graphs.js';
import { LLMAdapter, remoteThreadId } from '../../src/index.js';
import { isRemoteGraph, RemoteRunner, remoteStreamModes } from '../../src/remote/runner.js';

describe('RemoteGraph detection and options', () => {
  const remote = new RemoteGraph({ graphId: 'support', url: 'http://127.0.0.1:9' });

  it('tells a RemoteGraph from a compiled graph', () => {
    expect(isRemoteGraph(remote)).toBe(true);
    expect(isRemoteGraph(chatGraph(echoModel()).compile())).toBe(false);
    expect(isRemoteGraph({ stream: async () => [], graphId: 'x' })).toBe(false);
  });

  it('drops only the tasks stream mode, which carries every task input over the wire', () => {
    expect(remoteStreamModes(['messages', 'custom', 'updates', 'tasks'])).toEqual([
      'messages',
      'custom',
      'updates',
    ]);
  });

  it('takes node names as given, since a RemoteGraph does not list its nodes', () => {
    const adapter = new LLMAdapter({
      graph: remote,
      nodes: ['agent'],
      endCallNodes: ['goodbye'],
      threadId: 'call-7',
    });
    expect([adapter.model, adapter.threadId()]).toEqual(['support', 'call-7']);
  });

  it("rejects input: 'latest' for a local graph compiled without a checkpointer", () => {
    const graph = chatGraph(echoModel()).compile();
    expect(() => new LLMAdapter({ graph, input: 'latest' })).toThrow(
      /`input: 'latest'` sends only what is new each turn, but the graph was compiled without a checkpointer.*builder\.compile\(\{ checkpointer \}\)/,
    );
    const kept = chatGraph(echoModel()).compile({ checkpointer: new MemorySaver() });
    expect(() => new LLMAdapter({ graph: kept, input: 'latest' })).not.toThrow();
  });
});

/** A LangGraph SDK runs client that the test drives, under a real RemoteGraph. */
function fakeRuns(
  script: (payload: Record<string, unknown>, call: number) => AsyncGenerator<unknown>,
) {
  const streams: { threadId: string | null; payload: Record<string, unknown> }[] = [];
  const cancels: [string, string, boolean | undefined][] = [];
  let cancelResult: Promise<void> = Promise.resolve();
  const runs = {
    stream(threadId: string | null, _assistantId: string, payload: Record<string, unknown>) {
      streams.push({ threadId, payload });
      return script(payload, streams.length);
    },
    cancel(threadId: string, runId: string, wait?: boolean) {
      cancels.push([threadId, runId, wait]);
      return cancelResult;
    },
  };
  return {
    graph: new RemoteGraph({ graphId: 'g', client: { runs } as never }),
    streams,
    cancels,
    cancelWith(result: Promise<void>) {
      cancelResult = result;
    },
  };
}

const token = (content: string) => ({
  event: 'messages',
  data: [{ type: 'AIMessageChunk', id: 'm', content }, { langgraph_node: 'agent' }],
});

async function collect(parts: AsyncIterable<unknown>): Promise<unknown[]> {
  const seen: unknown[] = [];
  for await (const part of parts) seen.push(part);
  return seen;
}

describe('RemoteRunner', () => {
  it('sends the UUID thread id, asks the server to cancel on disconnect, and drops tasks', async () => {
    const fake = fakeRuns(async function* () {
      yield token('Hi');
    });
    const parts = await new RemoteRunner(fake.graph as never).stream(
      { messages: [] },
      {
        configurable: { thread_id: 'call-123' },
        subgraphs: false,
        streamMode: ['messages', 'updates', 'tasks'],
      },
    );
    expect(await collect(parts)).toEqual([['messages', token('Hi').data]]);
    expect(
      fake.streams.map((s) => [s.threadId, s.payload.onDisconnect, s.payload.streamMode]),
    ).toEqual([['5f1ffcde-750b-5943-b58f-446a87cd15d0', 'cancel', ['messages-tuple', 'updates']]]);
  });

  it.each([
    ['before any part', false, [['updates', { __interrupt__: [{ id: 'i', value: 'Why?' }] }]]],
    ['with subgraphs', true, [[[], 'updates', { __interrupt__: [{ id: 'i', value: 'Why?' }] }]]],
  ])(
    'turns the GraphInterrupt that RemoteGraph throws %s into an updates part',
    async (_n, subgraphs, expected) => {
      const fake = fakeRuns(async function* () {
        yield { event: 'updates', data: { __interrupt__: [{ id: 'i', value: 'Why?' }] } };
      });
      const parts = await new RemoteRunner(fake.graph as never).stream(
        { messages: [] },
        {
          configurable: { thread_id: 'call-1' },
          streamMode: ['updates'],
          subgraphs,
        },
      );
      expect(await collect(parts)).toEqual(expected);
    },
  );

  it('cancels an aborted run on the server, and starts the next run on its thread only once it stopped', async () => {
    const firstTokenSent = new Future<void>();
    const fake = fakeRuns(async function* (payload, call) {
      (payload.onRunCreated as (run: { run_id: string }) => void)({ run_id: `run-${call}` });
      yield token(`turn ${call}`);
      if (call === 1) {
        firstTokenSent.resolve();
        await new Promise((_, reject) =>
          (payload.signal as AbortSignal).addEventListener('abort', () =>
            reject(new Error('aborted')),
          ),
        );
      }
    });
    const runner = new RemoteRunner(fake.graph as never);
    const stopped = new Future<void>();
    fake.cancelWith(stopped.await);
    const abort = new AbortController();
    const first = collect(
      await runner.stream(
        {},
        {
          configurable: { thread_id: 'call-9' },
          subgraphs: false,
          signal: abort.signal,
          streamMode: ['messages'],
        },
      ),
    ).catch((error: Error) => error.name);
    await firstTokenSent.await;
    abort.abort();
    expect(await first).toBe('AbortError');
    expect(fake.cancels).toEqual([[remoteThreadId('call-9'), 'run-1', true]]);

    const second = runner
      .stream(
        {},
        { configurable: { thread_id: 'call-9' }, subgraphs: false, streamMode: ['messages'] },
      )
      .then(collect);
    // only `stopped` can let it go on: a turn of the event loop shows it waiting
    await new Promise((resolve) => setImmediate(resolve));
    expect(fake.streams).toHaveLength(1);
    stopped.resolve();
    expect(await second).toEqual([['messages', token('turn 2').data]]);
  });

  it('does not fail the next run when the cancellation fails', async () => {
    const fake = fakeRuns(async function* (payload) {
      (payload.onRunCreated as (run: { run_id: string }) => void)({ run_id: 'run-x' });
      yield token('a');
      yield token('b');
    });
    fake.cancelWith(Promise.reject(Object.assign(new Error('gone'), { status: 404 })));
    const runner = new RemoteRunner(fake.graph as never);
    const abort = new AbortController();
    for await (const _ of await runner.stream(
      {},
      {
        configurable: { thread_id: 'call-5' },
        subgraphs: false,
        signal: abort.signal,
        streamMode: ['messages'],
      },
    )) {
      abort.abort();
      break;
    }
    const next = await runner.stream(
      {},
      { configurable: { thread_id: 'call-5' }, subgraphs: false, streamMode: ['messages'] },
    );
    expect((await collect(next)).length).toBe(2);
    expect(fake.cancels).toHaveLength(1);
  });
});
