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
import { vi } from 'vitest';
import { type AudioSession, withAudioSession } from './audio.js';
import { ScriptedChatModel } from './scripted-chat-model.js';
import { withTimeout } from './session.js';

/** The answer the caller interrupts, and the part of it they heard. */
export const REFUND_ANSWER =
  'Your refund of forty dollars was sent on Monday and arrives within five business days.';
export const HEARD_OF_REFUND = 'Your refund of forty dollars';

/** What the caller says: interim transcripts first, then the final one. */
const TURNS = [
  { interim: ['I want to', 'I want to cancel'], final: 'I want to cancel my order' },
  { interim: [], final: 'where is my refund?', interruptAfter: HEARD_OF_REFUND },
  { interim: [], final: 'thanks, that is all' },
] as const;

/** Answers a refund question at length and anything else with "You said: …". */
export function callerModel(): ScriptedChatModel {
  return new ScriptedChatModel({
    script: [
      (messages) => {
        const last = String(messages.at(-1)?.content);
        return { text: last.includes('refund') ? REFUND_ANSWER : `You said: ${last}` };
      },
    ],
  });
}

/** The answer `callerModel` gives to `said`. */
const answerTo = (said: string): string =>
  said.includes('refund') ? REFUND_ANSWER : `You said: ${said}`;

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

/**
 * Runs the three turns on an audio-mode session around `adapter`. `threadMessages` reads the
 * graph thread's messages; it is polled to let each preemptive run finish before the next
 * transcript arrives, as a fast graph would on a real call.
 */
export async function runRememberedCall(
  adapter: llm.LLM,
  threadMessages: () => Promise<readonly unknown[]>,
): Promise<{ history: Conversation; thread: Conversation }> {
  return withAudioSession({ llm: adapter }, async ({ session, output }) => {
    const activity = (session as unknown as { _activity: ActivityInternals })._activity;
    let messages = 0;
    for (const turn of TURNS) {
      for (const interim of turn.interim) {
        activity.onPreemptiveGeneration({
          newTranscript: interim,
          transcriptConfidence: 0.5,
          startedSpeakingAt: Date.now(),
        });
        await threadEndsWith(threadMessages, answerTo(interim));
      }
      await activity.onEndOfTurn(endOfTurn(turn.final));
      await withTimeout(output.waitForSegment(), 10_000, `the answer to "${turn.final}"`);
      if ('interruptAfter' in turn) {
        output.heardWhenInterrupted = turn.interruptAfter;
        session.interrupt();
      } else {
        output.finishPlayback();
      }
      messages += 2;
      await answered(session, messages);
    }
    return { history: historyOf(session), thread: conversationOf(await threadMessages()) };
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
async function threadEndsWith(
  threadMessages: () => Promise<readonly unknown[]>,
  answer: string,
): Promise<void> {
  await vi.waitFor(
    async () => {
      const last = conversationOf(await threadMessages()).at(-1);
      if (last?.[1] !== answer) throw new Error(`the thread does not end with "${answer}" yet`);
    },
    { timeout: 10_000, interval: 5 },
  );
}

/** Waits until the chat context holds `count` caller and agent messages. */
async function answered(session: AudioSession['session'], count: number): Promise<void> {
  await vi.waitFor(
    () => {
      if (historyOf(session).length < count) throw new Error(`fewer than ${count} messages`);
    },
    { timeout: 10_000, interval: 5 },
  );
}
