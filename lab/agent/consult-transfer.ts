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
import { getJobContext, type JobContext, voice } from '@livekit/agents';
import { Room } from '@livekit/rtc-node';
import { AccessToken, RoomServiceClient, SipClient } from 'livekit-server-sdk';
import { ScriptSTT } from '../voice/script-stt.js';
import * as say from './lines.js';
import { handoffTool, type WarmTransferSetup } from './warm-transfer.js';

/** How long the person has to answer the briefing. */
const GO_AHEAD_TIMEOUT_MS = 30_000;
/** The person's SIP participant, in the consultation room and then in the caller's. */
const PERSON = 'person';

/** The `transfer_call` tool of the consultation transfer (see the file's comment). */
export const consultTransferTool = (setup: WarmTransferSetup) =>
  handoffTool(setup, async (ctx) => {
    const { sipTrunkId, callTo, record } = setup;
    const job = getJobContext();
    const callerRoom = job.room.name as string;
    const consultRoom = `${callerRoom}-consultation`;
    const sip = new SipClient(job.info.url, job.info.apiKey, job.info.apiSecret);
    const rooms = new RoomServiceClient(job.info.url, job.info.apiKey, job.info.apiSecret);
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
        // deleting the room hangs up the consultation call; a room already gone has no call
        // left to hang up, and its error must not hide the one that brought us here
        await rooms.deleteRoom(consultRoom).catch(() => undefined);
      }
      await sip.createSipParticipant(sipTrunkId, callTo, callerRoom, {
        participantIdentity: PERSON,
        waitUntilAnswered: true,
      });
      record({ type: 'person-joined' });
    } catch (error) {
      // off hold: the caller is back with the agent
      ctx.session.input.setAudioEnabled(true);
      throw error;
    }
  });

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
