/**
 * What the LiveKit job says about the call's room, read the same way by the adapter (its default
 * thread id), the hangup, the transfer and the call report.
 */
import { getJobContext, type JobContext } from '@livekit/agents';

/** `ParticipantKind.SIP` of `@livekit/rtc-node` (not imported: it is not a peer dependency): a phone caller. */
export const SIP_PARTICIPANT_KIND = 3;

/**
 * The room a call action acts on: `given` (its `roomName` option), else the job's room.
 *
 * @throws when neither names one, with the fix.
 */
export function roomNameFor(
  owner: string,
  given: string | undefined,
  job: JobContext | undefined,
): string {
  const name = given ?? jobRoomName(job);
  if (!name) throw new Error(`${owner}: the job's room has no name — pass \`roomName\``);
  return name;
}

/**
 * The name of the job's room: the connected room's, else the one the job was dispatched to (set
 * before the room connects); `undefined` outside a job or when neither has a name.
 */
export function jobRoomName(
  job: JobContext | undefined = getJobContext(false),
): string | undefined {
  return job?.room.name || job?.job.room?.name || undefined;
}
