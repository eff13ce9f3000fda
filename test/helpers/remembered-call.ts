/**
 * One call, driven the way agents-js drives a real one (its own tests do the same in
 * `voice/agent_activity_preemptive_pause_deadlock.test.ts`), to compare what a graph's thread
 * holds with what LiveKit's chat context says was said and heard:
 *
 * 1. two preemptive runs on interim transcripts, each finished (checkpointed) before the next
 *    transcript, both discarded when the final transcript differs;
 * 2. an answer the caller interrupts after hearing its first words;
 * 3. an ordinary turn.
 */
import type { BaseMessage } from '@langchain/core/messages';
import type { llm, voice } from '@livekit/agents';
import { type AudioSession, type ToolExecution, withAudioSession } from './audio.js';
import { answerTo } from './graphs.js';
import { waitUntil, withTimeout } from './session.js';

/** The part of `REFUND_ANSWER` the caller hears before interrupting it. */
export const HEARD_OF_REFUND = 'Your refund of forty dollars';

/** What the call's chat context holds at its end: what the caller said and heard. */
export const HEARD_IN_CALL: Conversation = [
  ['user', 'I want to cancel my order'],
  ['assistant', 'You said: I want to cancel my order'],
  ['user', 'where is my refund?'],
  ['assistant', HEARD_OF_REFUND],
  ['user', 'thanks, that is all'],
  ['assistant', 'You said: thanks, that is all'],
];

/** What the caller says: interim transcripts first, then the final one. */
const TURNS = [
  { interim: ['I want to', 'I want to cancel'], final: 'I want to cancel my order' },
  { interim: [], final: 'where is my refund?', interruptAfter: HEARD_OF_REFUND },
  { interim: [], final: 'thanks, that is all' },
] as const;

/** A thread's or a chat context's conversation: [role, text] of each caller and agent message. */
export type Conversation = [role: 'user' | 'assistant', text: string][];

/** The conversation in a graph thread's messages (LangChain objects or LangGraph Server dicts). */
export function conversationOf(messages: readonly unknown[]): Conversation {
  return messages.flatMap((message): Conversation => {
    const m = message as BaseMessage & { type?: string };
    const type = typeof m.getType === 'function' ? m.getType() : m.type;
    const text = typeof m.content === 'string' ? m.content.trim() : '';
    if (type === 'human') return [['user', text]];
    return type === 'ai' && text !== '' ? [['assistant', text]] : [];
  });
}

/** The conversation in LiveKit's chat context (interrupted answers hold what was heard). */
export function historyOf(session: voice.AgentSession): Conversation {
  return session.history.items.flatMap((item): Conversation => {
    if (item.type !== 'message' || (item.role !== 'user' && item.role !== 'assistant')) return [];
    return [[item.role, (item.textContent ?? '').trim()]];
  });
}

interface ActivityInternals {
  onPreemptiveGeneration(info: {
    newTranscript: string;
    transcriptConfidence: number;
    startedSpeakingAt?: number;
  }): void;
  onEndOfTurn(info: Record<string, unknown>): Promise<boolean>;
}

/** How a test plays the caller in an audio session, the way agents-js reports speech. */
export interface Caller {
  /** An interim transcript: agents-js starts a preemptive run on it. */
  preempt(transcript: string): void;
  /**
   * The end of the caller's turn with its final transcript; resolves once the answer's audio
   * waits to be played.
   */
  endTurn(transcript: string): Promise<void>;
  /** Plays the answer to its end (`heard` unset) or interrupts it after `heard` was heard. */
  hear(heard?: string): void;
  /** Waits until the chat context holds `count` caller and agent messages. */
  answered(count: number): Promise<void>;
}

/**
 * The caller says "bye", the graph says its goodbye and ends the call, and the caller interrupts
 * the goodbye once `heard` was played (the agent's `end_call` tool must be `interruptible`).
 * Resolves once the interrupted goodbye is over.
 */
export async function interruptTheGoodbye(
  caller: Caller,
  receiver: { nextExecution(): Promise<ToolExecution> },
  heard: string,
): Promise<void> {
  await caller.endTurn('bye');
  const { speech } = await withTimeout(receiver.nextExecution(), 10_000, 'end_call');
  caller.hear(heard);
  await withTimeout(speech.waitForPlayout(), 10_000, 'the interrupted goodbye');
}

/** A {@link Caller} for the session of `s`. */
export function callerIn({ session, output }: AudioSession): Caller {
  const activity = (session as unknown as { _activity: ActivityInternals })._activity;
  return {
    preempt: (transcript) =>
      activity.onPreemptiveGeneration({
        newTranscript: transcript,
        transcriptConfidence: 0.5,
        startedSpeakingAt: Date.now(),
      }),
    endTurn: async (transcript) => {
      await activity.onEndOfTurn(endOfTurn(transcript));
      await withTimeout(output.waitForSegment(), 10_000, `the answer to "${transcript}"`);
    },
    hear: (heard) => {
      if (heard === undefined) {
        output.finishPlayback();
        return;
      }
      output.heardWhenInterrupted = heard;
      session.interrupt();
    },
    answered: (count) =>
      waitUntil(() => historyOf(session).length >= count, `${count} messages in the history`),
  };
}

/**
 * Runs the three turns on an audio-mode session around `adapter`. `threadMessages` reads the
 * graph thread's messages; it is polled to let each preemptive run finish before the next
 * transcript arrives, as a fast graph would on a real call.
 */
export async function runRememberedCall(
  adapter: llm.LLM,
  threadMessages: () => Promise<readonly unknown[]>,
): Promise<{ history: Conversation; thread: Conversation }> {
  return withAudioSession({ llm: adapter }, async (s) => {
    const caller = callerIn(s);
    let messages = 0;
    for (const turn of TURNS) {
      for (const interim of turn.interim) {
        caller.preempt(interim);
        await threadEndsWith(threadMessages, answerTo(interim));
      }
      await caller.endTurn(turn.final);
      caller.hear('interruptAfter' in turn ? turn.interruptAfter : undefined);
      messages += 2;
      await caller.answered(messages);
    }
    return { history: historyOf(s.session), thread: conversationOf(await threadMessages()) };
  });
}

function endOfTurn(newTranscript: string): Record<string, unknown> {
  return {
    skipReply: false,
    newTranscript,
    transcriptConfidence: 1,
    transcriptionDelay: 0,
    endOfUtteranceDelay: 0,
    startedSpeakingAt: undefined,
    stoppedSpeakingAt: undefined,
  };
}

/** Waits until the graph's thread ends with `answer` (a run has finished and checkpointed). */
export async function threadEndsWith(
  threadMessages: () => Promise<readonly unknown[]>,
  answer: string,
): Promise<void> {
  await waitUntil(
    async () => conversationOf(await threadMessages()).at(-1)?.[1] === answer,
    `the thread ending with "${answer}"`,
  );
}
