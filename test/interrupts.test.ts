import { Command } from '@langchain/langgraph';
import { llm } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { latestTurnInput, spokenAnswer } from '../src/interrupts.js';
import type { StreamableGraph } from '../src/stream.js';
import { type RunOutcome, ThreadLedger } from '../src/threads.js';

const user = (text: string) => llm.ChatMessage.create({ role: 'user', content: text });
const assistant = (text: string) => llm.ChatMessage.create({ role: 'assistant', content: text });

/** A graph whose checkpoint says `paused` (or fails with `error`), counting the reads. */
function graphWithState(state: { paused?: boolean; error?: Error }) {
  const reads: unknown[] = [];
  const graph: StreamableGraph = {
    stream: async () => (async function* () {})(),
    getState: async (config) => {
      reads.push(config);
      if (state.error) throw state.error;
      return { tasks: state.paused ? [{ interrupts: [{ id: 'i', value: 'Q?' }] }] : [{}] };
    },
  };
  return { graph, reads };
}

const config = { configurable: { thread_id: 't' } };
const inputOf = (value: unknown) =>
  value instanceof Command
    ? ['resume', value.resume]
    : ['messages', (value as { messages: { content: unknown }[] }).messages.map((m) => m.content)];

describe('spokenAnswer', () => {
  it.each([
    [[user('12345')], '12345'],
    [[user('one'), assistant('ok'), user(' two ')], 'one\ntwo'],
    [[assistant('Anything else?')], undefined],
    [[user('  ')], undefined],
  ])('%# answers %j', (items, answer) => {
    expect(spokenAnswer(items)).toBe(answer);
  });
});

describe('latestTurnInput', () => {
  it('resumes a thread it knows is paused, without reading the checkpoint', async () => {
    const ledger = new ThreadLedger();
    const { graph, reads } = graphWithState({ paused: false });
    const hi = user('hi');
    ledger.latest('t', [hi]).record("What's your account number?", 'paused');
    const input = await latestTurnInput(graph, config, ledger.latest('t', [hi, user('42')]));
    expect(inputOf(input)).toEqual(['resume', '42']);
    expect(reads).toEqual([]);
  });

  it('reads the checkpoint once for a thread it has not run (a restarted worker)', async () => {
    const ledger = new ThreadLedger();
    const { graph, reads } = graphWithState({ paused: true });
    const answer = user('42');
    const first = ledger.latest('t', [answer]);
    expect(inputOf(await latestTurnInput(graph, config, first))).toEqual(['resume', '42']);
    first.record('Thanks.', 'done');
    const second = ledger.latest('t', [answer, user('bye')]);
    expect(inputOf(await latestTurnInput(graph, config, second))).toEqual(['messages', ['bye']]);
    expect(reads).toEqual([config]);
  });

  it.each([
    ['a thread the server does not know (404)', Object.assign(new Error('nf'), { status: 404 })],
    ['a failing read', new Error('connection refused')],
  ])('sends ordinary input after %s', async (_name, error) => {
    const { graph } = graphWithState({ error });
    const input = await latestTurnInput(
      graph,
      config,
      new ThreadLedger().latest('t', [user('hi')]),
    );
    expect(inputOf(input)).toEqual(['messages', ['hi']]);
  });

  it('sends ordinary input to a paused graph when the caller said nothing new', async () => {
    const { graph } = graphWithState({ paused: true });
    const latest = new ThreadLedger().latest('t', [assistant('Are you still there?')]);
    expect(inputOf(await latestTurnInput(graph, config, latest))).toEqual([
      'messages',
      ['Are you still there?'],
    ]);
  });

  it.each([
    ['paused', true],
    ['done', false],
    ['cut', undefined],
  ] as [RunOutcome, boolean | undefined][])(
    'remembers a run that ended %s as paused: %s',
    (outcome, paused) => {
      const ledger = new ThreadLedger();
      ledger.latest('t', [user('hi')]).record('', outcome);
      expect(ledger.latest('t', [user('hi')]).paused).toBe(paused);
    },
  );
});
