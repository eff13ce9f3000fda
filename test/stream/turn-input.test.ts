import { Command } from '@langchain/langgraph';
import { llm } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { ThreadLedger } from '../../src/memory/ledger.js';
import type { RunOutcome } from '../../src/memory/records.js';
import type { StreamableGraph } from '../../src/stream/stream.js';
import { latestTurnInput } from '../../src/stream/turn-input.js';

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
      return {
        config: { configurable: { checkpoint_id: 'head' } },
        tasks: state.paused ? [{ interrupts: [{ id: 'i', value: 'Q?' }] }] : [{}],
      };
    },
  };
  return { graph, reads };
}

const config = { configurable: { thread_id: 't' } };
const spoken = (text: string) => [{ messageId: undefined, text }];
/** Ends a run on the ledger as an attempt would: its checkpoint, what it said, how it ended. */
function ran(turn: ReturnType<ThreadLedger['begin']>, text: string, outcome: RunOutcome) {
  turn.checkpoint(`cp-after-${text}`, turn.checkpointId(), {});
  turn.endAttempt({ outcome, spoken: spoken(text) });
}
const inputOf = (value: unknown) =>
  value instanceof Command
    ? ['resume', value.resume]
    : ['messages', (value as { messages: { content: unknown }[] }).messages.map((m) => m.content)];

describe('latestTurnInput', () => {
  it('resumes a thread it knows is paused, without reading the checkpoint', async () => {
    const ledger = new ThreadLedger();
    const { graph, reads } = graphWithState({ paused: false });
    const hi = user('hi');
    const first = ledger.begin('t', [hi]);
    first.storeHead({ checkpointId: 'head', paused: false });
    ran(first, "What's your account number?", 'paused');
    const prompt = assistant("What's your account number?");
    const second = ledger.begin('t', [hi, prompt, user('42')]);
    expect(inputOf(await latestTurnInput(graph, config, second))).toEqual(['resume', '42']);
    expect(second.checkpointId()).toBe("cp-after-What's your account number?");
    expect(reads).toEqual([]);
  });

  it('reads the checkpoint once for a thread it has not run (a restarted worker)', async () => {
    const ledger = new ThreadLedger();
    const { graph, reads } = graphWithState({ paused: true });
    const answer = user('42');
    const first = ledger.begin('t', [answer]);
    expect(inputOf(await latestTurnInput(graph, config, first))).toEqual(['resume', '42']);
    // the run forks from the head it read
    expect(first.checkpointId()).toBe('head');
    ran(first, 'Thanks.', 'done');
    const second = ledger.begin('t', [answer, assistant('Thanks.'), user('bye')]);
    expect(inputOf(await latestTurnInput(graph, config, second))).toEqual(['messages', ['bye']]);
    expect(second.checkpointId()).toBe('cp-after-Thanks.');
    expect(reads).toEqual([config]);
  });

  it.each([
    ['a thread the server does not know (404)', Object.assign(new Error('nf'), { status: 404 })],
    ['a failing read', new Error('connection refused')],
  ])('sends ordinary input after %s', async (_name, error) => {
    const { graph } = graphWithState({ error });
    const input = await latestTurnInput(graph, config, new ThreadLedger().begin('t', [user('hi')]));
    expect(inputOf(input)).toEqual(['messages', ['hi']]);
  });

  it('sends ordinary input to a paused graph when the caller said nothing new', async () => {
    const { graph } = graphWithState({ paused: true });
    const latest = new ThreadLedger().begin('t', [assistant('Are you still there?')]);
    expect(inputOf(await latestTurnInput(graph, config, latest))).toEqual([
      'messages',
      ['Are you still there?'],
    ]);
  });

  it.each([
    ['paused', true, 'cp-after-'],
    ['done', false, 'cp-after-'],
    // a cut run's checkpoints are not what the caller got: the next run starts where it did
    ['cut', false, 'head'],
  ] as [RunOutcome, boolean, string][])(
    'after a run that ended %s, the graph is paused: %s, and the next run forks from %s',
    (outcome, paused, checkpointId) => {
      const ledger = new ThreadLedger();
      const hi = user('hi');
      const first = ledger.begin('t', [hi]);
      first.storeHead({ checkpointId: 'head', paused: false });
      ran(first, '', outcome);
      const next = ledger.begin('t', [hi]);
      expect(next.paused).toBe(paused);
      expect(next.checkpointId()).toBe(checkpointId);
    },
  );
});
