/**
 * A warm transfer that works on a self-hosted LiveKit (issue 20 g): what to do instead of
 * `workflows.WarmTransferTask`, whose merge (`RoomService.MoveParticipant`) only LiveKit Cloud
 * implements. The graph's `transfer_call` reaches this tool, which
 * 1. puts the caller on hold (the agent stops listening; the caller hears silence),
 * 2. dials the person through an outbound trunk into a consultation room of its own, where a
 *    second `AgentSession` of the same job briefs them and waits for their go-ahead,
 * 3. ends the consultation call and dials the person again, into the caller's room,
 * 4. leaves the caller and the person together (the agent's session shuts down; the room stays).
 * The person answers twice; every step is a plain LiveKit API call (`createSipParticipant`,
 * `deleteRoom`) that any outbound trunk supports. A failure at any step comes back to the graph
 * as the tool's result, with the caller still on the line.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { getJobContext, type JobContext, llm, voice } from '@livekit/agents';
import { Room } from '@livekit/rtc-node';
import { AccessToken, RoomServiceClient, SipClient } from 'livekit-server-sdk';
import { z } from 'zod';
import { recordCallAction } from '../../src/index.js';
import { ScriptSTT } from '../voice/script-stt.js';
import * as say from './lines.js';
import type { WarmTransferSetup } from './warm-transfer.js';

/** Time for a line's tail to leave the network before the next step cuts the audio. */
const DRAIN_MS = 500;
/** How long the person has to answer the briefing. */
const GO_AHEAD_TIMEOUT_MS = 30_000;
/** The person's SIP participant, in the consultation room and then in the caller's. */
const PERSON = 'person';

/** The `transfer_call` tool of the consultation transfer (see the file's comment). */
export function consultTransferTool({ sipTrunkId, callTo, record }: WarmTransferSetup) {
  return llm.tool({
    description: 'Briefs a person about the call, then connects the caller to them.',
    parameters: z.object({ to: z.string(), reason: z.string().optional() }),
    execute: async ({ to }, { ctx }) => {
      await ctx.waitForPlayout();
      await sleep(DRAIN_MS);
      const job = getJobContext();
      const callerRoom = job.room.name as string;
      const consultRoom = `${callerRoom}-consultation`;
      const sip = new SipClient(job.info.url, job.info.apiKey, job.info.apiSecret);
      const rooms = new RoomServiceClient(job.info.url, job.info.apiKey, job.info.apiSecret);
      record({ type: 'warm-transfer-start', to });
      ctx.session.input.setAudioEnabled(false);
      try {
        const consultation = await consult(job, ctx.session, consultRoom);
        try {
          await sip.createSipParticipant(sipTrunkId, callTo, consultRoom, {
            participantIdentity: PERSON,
            waitUntilAnswered: true,
          });
          record({ type: 'person-answered' });
          await consultation.session.say(say.BRIEFING).waitForPlayout();
          record({ type: 'briefing-played' });
          record({ type: 'go-ahead', text: await consultation.goAhead });
        } finally {
          await consultation.close();
          // deleting the room hangs up the consultation call
          await rooms.deleteRoom(consultRoom);
        }
        await sip.createSipParticipant(sipTrunkId, callTo, callerRoom, {
          participantIdentity: PERSON,
          waitUntilAnswered: true,
        });
        record({ type: 'person-joined' });
      } catch (error) {
        ctx.session.input.setAudioEnabled(true);
        const message = error instanceof Error ? error.message : String(error);
        record({ type: 'warm-transfer-failed', error: message });
        recordCallAction(ctx.session, { name: 'transfer_call', to, ok: false, error: message });
        return `The warm transfer to ${to} failed (${message}). The caller is still on the line with you.`;
      }
      recordCallAction(ctx.session, { name: 'transfer_call', to, ok: true });
      // the caller and the person talk in the caller's room; the agent leaves them there
      ctx.session.shutdown({ drain: true, reason: 'warm transfer done' });
      return undefined;
    },
  });
}

/** A consultation: a second session of the job in `roomName`, and the person's first words. */
async function consult(job: JobContext, caller: voice.AgentSession, roomName: string) {
  const token = new AccessToken(job.info.apiKey, job.info.apiSecret, {
    identity: 'consultation-agent',
  });
  token.addGrant({ roomJoin: true, room: roomName, canPublish: true, canSubscribe: true });
  const room = new Room();
  await room.connect(job.info.url, await token.toJwt());
  const session = new voice.AgentSession({
    vad: caller.vad,
    stt: new ScriptSTT([say.PUT_THROUGH]),
    tts: caller.tts,
    userAwayTimeout: null,
  });
  let timer: NodeJS.Timeout | undefined;
  const goAhead = new Promise<string>((resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`the person said nothing within ${GO_AHEAD_TIMEOUT_MS} ms`)),
      GO_AHEAD_TIMEOUT_MS,
    );
    session.on(voice.AgentSessionEventTypes.UserInputTranscribed, (event) => {
      if (event.isFinal) resolve(event.transcript);
    });
  });
  // a consultation that fails before the go-ahead is awaited must not reject unobserved
  goAhead.catch(() => {});
  await session.start({
    agent: new voice.Agent({ instructions: '' }),
    room,
    inputOptions: { participantIdentity: PERSON },
  });
  return {
    session,
    goAhead,
    close: async () => {
      clearTimeout(timer);
      await session.close();
      await room.disconnect();
    },
  };
}
