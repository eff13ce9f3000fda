import { llm, voice } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { TurnConfirmations } from '../../src/memory/preemptive.js';

/** A real session (never started: only its events and history are used). */
const newSession = () =>
  new voice.AgentSession({ llm: new voice.testing.FakeLLM([]) as unknown as llm.LLM });

const contextWith = (...items: llm.ChatItem[]) => new llm.ChatContext(items);

/** What agents-js emits when it adds a caller message to the session's history. */
function addToHistory(session: voice.AgentSession, item: llm.ChatMessage): void {
  session.history.insert(item);
  session.emit(voice.AgentSessionEventTypes.ConversationItemAdded, { item } as never);
}

describe('TurnConfirmations', () => {
  it('holds nothing while no session is watched', () => {
    const confirmations = new TurnConfirmations();
    const said = llm.ChatMessage.create({ role: 'user', content: 'hi' });
    expect(confirmations.watching).toBe(false);
    expect(
      confirmations.whenConfirmed(contextWith(said), new AbortController().signal),
    ).toBeUndefined();
  });

  it('lets a turn already in the history run at once, and holds one that is not', async () => {
    const confirmations = new TurnConfirmations();
    const session = newSession();
    confirmations.watch(session);
    const confirmedTurn = llm.ChatMessage.create({ role: 'user', content: 'hi' });
    addToHistory(session, confirmedTurn);
    const signal = new AbortController().signal;
    expect(confirmations.whenConfirmed(contextWith(confirmedTurn), signal)).toBeUndefined();

    const interim = llm.ChatMessage.create({ role: 'user', content: 'I want to' });
    const held = confirmations.whenConfirmed(contextWith(confirmedTurn, interim), signal);
    let released = false;
    void held?.then(() => {
      released = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(released).toBe(false);
    addToHistory(session, interim);
    await held;
    expect(released).toBe(true);
  });

  it('releases a held run when it is aborted (a discarded preemptive run)', async () => {
    const confirmations = new TurnConfirmations();
    confirmations.watch(newSession());
    const abort = new AbortController();
    const held = confirmations.whenConfirmed(
      contextWith(llm.ChatMessage.create({ role: 'user', content: 'cancel my' })),
      abort.signal,
    );
    abort.abort();
    await expect(held).resolves.toBeUndefined();
  });

  it('stops holding when the last watched session stops being watched', async () => {
    const confirmations = new TurnConfirmations();
    const stop = confirmations.watch(newSession());
    const held = confirmations.whenConfirmed(
      contextWith(llm.ChatMessage.create({ role: 'user', content: 'book it' })),
      new AbortController().signal,
    );
    stop();
    await expect(held).resolves.toBeUndefined();
    expect(confirmations.watching).toBe(false);
  });
});
