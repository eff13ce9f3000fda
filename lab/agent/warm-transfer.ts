/**
 * The lab's warm transfer through agents-js's `workflows.WarmTransferTask` (issue 20 g): the
 * graph's `transfer_call` reaches this LiveKit-side tool, which runs the task. The task dials the
 * person through an outbound trunk into a consultation room, briefs them there, and on their
 * word (`connect_to_caller`) moves their SIP participant into the caller's room with
 * `RoomService.MoveParticipant`.
 *
 * The consultation is a second `AgentSession` the task starts itself, reusing the caller
 * session's VAD, STT and TTS unless the task is given its own. Its LLM must be able to call the
 * task's tools (`connect_to_caller`, `decline_transfer`), which `LLMAdapter` never emits (it
 * forwards only the graph's call actions) — so the task gets an LLM of its own: here a scripted
 * one, in production a model of the app's choice.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { llm, voice, workflows } from '@livekit/agents';
import { z } from 'zod';
import { ScriptSTT } from '../voice/script-stt.js';
import type { JournalWriter } from './journal.js';
import * as say from './lines.js';

/** What agents-js answers the LLM when a tool throws an error that is not a `ToolError`. */
export const TOOL_FAILED = 'An internal error occurred';

/** Time for the handoff line's tail to leave the network before the caller's audio is muted. */
const DRAIN_MS = 500;

/**
 * The consultation's LLM: the person's go-ahead → `connect_to_caller`; that tool failing →
 * `decline_transfer`, so the task ends and the caller is back with the agent.
 */
const briefingLLM = () =>
  new voice.testing.FakeLLM([
    { input: say.PUT_THROUGH, toolCalls: [{ name: 'connect_to_caller', args: {} }] },
    {
      input: TOOL_FAILED,
      toolCalls: [{ name: 'decline_transfer', args: { reason: 'the calls could not be merged' } }],
    },
  ]);

/** What the lab's warm transfer needs: the trunk to the person and where the person is. */
export interface WarmTransferSetup {
  sipTrunkId: string;
  /** What the trunk dials (the user part of the person's SIP URI). */
  callTo: string;
  record: JournalWriter;
}

/** The `transfer_call` tool that runs `workflows.WarmTransferTask` after the handoff line was heard. */
export function warmTransferTool({ sipTrunkId, callTo, record }: WarmTransferSetup) {
  return llm.tool({
    description: 'Briefs a person about the call, then connects the caller to them.',
    parameters: z.object({ to: z.string(), reason: z.string().optional() }),
    execute: async ({ to }, { ctx }) => {
      // the task mutes the caller's audio at once: let the handoff line finish first
      await ctx.waitForPlayout();
      await sleep(DRAIN_MS);
      record({ type: 'warm-transfer-start', to });
      try {
        const result = await new workflows.WarmTransferTask({
          sipTrunkId,
          sipCallTo: callTo,
          chatCtx: ctx.session.history,
          holdAudio: null,
          stt: new ScriptSTT([say.PUT_THROUGH]),
          llm: briefingLLM(),
          greetingSpeech: (consultation) => {
            watchConsultation(consultation, record);
            return consultation.say(say.BRIEFING);
          },
        }).run();
        record({ type: 'warm-transfer-done', ...result });
        // the person is in the caller's room now: the agent leaves them together
        ctx.session.shutdown({ drain: true, reason: 'warm transfer done' });
        return undefined;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        record({ type: 'warm-transfer-failed', error: message });
        return `The warm transfer to ${to} failed (${message}). The caller is still on the line with you.`;
      }
    },
  });
}

/** Journals what the person's side of the consultation does: answer, briefing played, tools. */
function watchConsultation(consultation: voice.AgentSession, record: JournalWriter): void {
  record({ type: 'person-answered' });
  consultation.output.audio?.on('playbackFinished', () => record({ type: 'briefing-played' }));
  consultation.on(voice.AgentSessionEventTypes.FunctionToolsExecuted, (event) => {
    for (const [i, call] of event.functionCalls.entries()) {
      const output = event.functionCallOutputs[i];
      record({
        type: 'consultation-tool',
        name: call.name,
        output: output?.output,
        isError: output?.isError,
      });
    }
  });
}
