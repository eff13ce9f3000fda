/**
 * Outbound calls: dial the number a dispatch asked for (see `dial.ts`), with answering-machine
 * detection listening from the first ring, and leave a voicemail when a machine answers.
 */
import { log, voice } from '@livekit/agents';
import * as openai from '@livekit/agents-plugin-openai';
import { SipCallError, SipClient } from 'livekit-server-sdk';
import { z } from 'zod';
// In your own project: `from 'livekit-langgraph'`.
import { hangupCall } from '../../src/index.js';
import type { AgentEnv } from './env.js';

/** The participant identity of the person called; the session listens to this participant. */
export const CALLEE_IDENTITY = 'callee';

/** What the agent leaves on a voicemail before hanging up. */
export const VOICEMAIL_MESSAGE =
  'Hi, this is Acme support returning your call. Please call us back whenever it suits you. Goodbye!';

/**
 * The model that classifies the callee's greeting. A dedicated one: left unset, AMD would use the
 * session's LLM — the LangGraph adapter — and send its classification prompt into the graph.
 * `gpt-4.1-mini` is among the models agents-js evaluated for AMD.
 */
const AMD_MODEL = 'gpt-4.1-mini';

const dispatchMetadata = z.object({ phoneNumber: z.string().regex(/^\+[1-9]\d{6,14}$/) });

/**
 * The number to call, from the dispatch metadata `dial.ts` writes (`{"phoneNumber":"+1…"}`);
 * `undefined` for an inbound call, whose dispatch (by the SIP dispatch rule) carries none.
 */
export function phoneNumberOf(metadata: string): string | undefined {
  if (!metadata) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(metadata);
  } catch {
    // a dispatch rule's own metadata need not be JSON; it is not an outbound request then
    return undefined;
  }
  const result = dispatchMetadata.safeParse(parsed);
  return result.success ? result.data.phoneNumber : undefined;
}

/**
 * How an outbound call went: hung up already (no answer, a machine), or a person is on the line
 * — who either greeted us (the graph answers that turn) or said nothing yet.
 */
export type CallOutcome = 'ended' | 'callee-spoke' | 'callee-silent';

/**
 * Places the call: starts answering-machine detection, dials `phoneNumber` into the session's
 * room and waits until it is answered, then waits for the verdict. A machine gets
 * {@link VOICEMAIL_MESSAGE} (unless its mailbox cannot take one) and the call is hung up.
 *
 * @param session - started in the job's room with `participantIdentity: CALLEE_IDENTITY`.
 * @throws Error when SIP_OUTBOUND_TRUNK_ID is not set.
 */
export async function placeCall(
  session: voice.AgentSession,
  env: AgentEnv,
  roomName: string,
  phoneNumber: string,
): Promise<CallOutcome> {
  const trunkId = env.SIP_OUTBOUND_TRUNK_ID;
  if (!trunkId) {
    throw new Error(
      'telephony-agent: SIP_OUTBOUND_TRUNK_ID is not set — create an outbound trunk ' +
        '(docs/telephony.md) to dial out',
    );
  }
  const amdLlm = new openai.LLM({ model: AMD_MODEL, apiKey: env.OPENAI_API_KEY });
  // started before dialing, as agents-js requires, so the first words of the callee are heard
  const amd = new voice.AMD(session, {
    llm: amdLlm,
    stt: null, // reuse the session's Deepgram transcripts rather than LiveKit Cloud inference
    participantIdentity: CALLEE_IDENTITY,
  });
  const verdict = amd.execute();
  // consumed below; this only keeps an AMD closed after a failed dial from going unhandled
  verdict.catch(() => {});
  try {
    try {
      await new SipClient(env.LIVEKIT_URL, env.LIVEKIT_API_KEY, env.LIVEKIT_API_SECRET)
        // waits until the callee answers (or the 30 s ringing timeout); throws if they never do
        .createSipParticipant(trunkId, phoneNumber, roomName, {
          participantIdentity: CALLEE_IDENTITY,
          waitUntilAnswered: true,
        });
    } catch (error) {
      const sipStatusCode = error instanceof SipCallError ? error.sipStatusCode : undefined;
      log().warn({ sipStatusCode, error }, 'outbound call failed or was not answered');
      await hangupCall({ session, reason: 'not answered' });
      return 'ended';
    }
    const result = await verdict;
    log().info({ category: result.category, reason: result.reason }, 'answering machine detection');
    if (!result.isMachine) return result.transcript.trim() ? 'callee-spoke' : 'callee-silent';
    if (result.category === voice.AMDCategory.MACHINE_UNAVAILABLE) {
      await hangupCall({ session, reason: 'voicemail unavailable' });
    } else {
      const speech = session.say(VOICEMAIL_MESSAGE, { allowInterruptions: false });
      await hangupCall({ session, speech, reason: 'voicemail' });
    }
    return 'ended';
  } finally {
    await amd.aclose();
    // AMD does not close an LLM it was given
    await amdLlm.aclose();
  }
}
