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
import { getJobContext, llm, voice, workflows } from '@livekit/agents';
import { z } from 'zod';
import { recordCallAction } from '../../src/index.js';
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

/** The `transfer_call` tool that runs `workflows.WarmTransferTask`. */
export const warmTransferTool = (setup: WarmTransferSetup) =>
  handoffTool(setup, async (ctx) => {
    const result = await new workflows.WarmTransferTask({
      sipTrunkId: setup.sipTrunkId,
      sipCallTo: setup.callTo,
      chatCtx: ctx.session.history,
      holdAudio: null,
      stt: new ScriptSTT([say.PUT_THROUGH]),
      llm: briefingLLM(),
      greetingSpeech: (consultation) => {
        watchConsultation(consultation, setup.record);
        return consultation.say(say.BRIEFING);
      },
    }).run();
    setup.record({ type: 'warm-transfer-done', ...result });
  });

/**
 * A `transfer_call` tool that lets the handoff line finish, then runs `transfer`: when it
 * resolves, the person is with the caller and the agent leaves; when it throws, the graph reads
 * why, and the caller stays with the agent.
 */
export function handoffTool(
  { record }: WarmTransferSetup,
  transfer: (ctx: llm.ToolOptions['ctx']) => Promise<void>,
) {
  return llm.tool({
    description: 'Briefs a person about the call, then connects the caller to them.',
    parameters: z.object({ to: z.string(), reason: z.string().optional() }),
    execute: async ({ to }, { ctx }) => {
      // a warm transfer mutes the caller's audio at once: let the handoff line finish first
      await ctx.waitForPlayout();
      await sleep(DRAIN_MS);
      record({ type: 'warm-transfer-start', to });
      try {
        await transfer(ctx);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        record({ type: 'warm-transfer-failed', error: message });
        recordCallAction(ctx.session, { name: 'transfer_call', to, ok: false, error: message });
        return `The warm transfer to ${to} failed (${message}). The caller is still on the line with you.`;
      }
      recordCallAction(ctx.session, { name: 'transfer_call', to, ok: true });
      leaveCall(ctx.session);
      return undefined;
    },
  });
}

/**
 * The agent leaves the caller and the person together: the session shuts down, then the job
 * leaves the room (a closed session alone keeps the agent's participant in it). The room stays.
 */
function leaveCall(session: voice.AgentSession): void {
  const job = getJobContext();
  session.once(voice.AgentSessionEventTypes.Close, () => job.shutdown(WARM_TRANSFER_DONE));
  session.shutdown({ drain: true, reason: WARM_TRANSFER_DONE });
}

const WARM_TRANSFER_DONE = 'warm transfer done';

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
