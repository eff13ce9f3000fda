/**
 * The SIP side of the LiveKit API: the client a transfer uses, with the same credentials as the
 * hangup's RoomService client, and the caller a transfer moves.
 */
import type { JobContext } from '@livekit/agents';
import { SipClient } from 'livekit-server-sdk';
import { SIP_PARTICIPANT_KIND } from './job-room.js';
import { clientFor, type LiveKitCredentials } from './room-service.js';

/**
 * The client that transfers the call: `explicit` when given, else one built from the job's
 * credentials, else from `envCredentials` or the LIVEKIT_* variables. A built client never fails
 * over: on a LiveKit Cloud host, livekit-server-sdk re-sends a request to another region after a
 * dropped connection or a 5xx (since https://github.com/livekit/node-sdks/pull/686,
 * https://github.com/livekit/node-sdks/blob/716859a20a5a6a925241bc33a9352d6c91aa185e/packages/livekit-server-sdk/src/TwirpRPC.ts#L221), and a transfer the first region may already have made must not leave
 * twice.
 *
 * @throws when none of them is available; the message names the missing variables, never a value.
 */
export function sipClientFor(
  owner: string,
  explicit: SipClient | undefined,
  job: JobContext | undefined,
  envCredentials: LiveKitCredentials | undefined,
): SipClient {
  return (
    explicit ??
    clientFor(
      owner,
      job,
      envCredentials,
      (url, key, secret) => new SipClient(url, key, secret, { failover: false }),
    )
  );
}

/** The part of a livekit-server-sdk 2.19 client that decides whether it fails over (private there). */
interface FailoverFields {
  rpc?: { failover?: unknown; host?: unknown };
}

/**
 * Refuses a given client that would re-send a transfer to another region: one built for a
 * LiveKit Cloud host (`*.livekit.cloud`) without `{ failover: false }`.
 *
 * @throws naming the fix.
 */
export function assertSendsOnce(owner: string, client: SipClient): void {
  const { rpc } = client as unknown as FailoverFields;
  if (rpc?.failover !== true || typeof rpc.host !== 'string') return;
  if (!URL.canParse(rpc.host) || !new URL(rpc.host).hostname.endsWith('.livekit.cloud')) return;
  throw new Error(
    `${owner}: \`sipClient\` fails over to another LiveKit Cloud region, which sends a transfer ` +
      'again after a lost answer or a 5xx (the caller may already have been moved) — create it ' +
      'with `new SipClient(url, key, secret, { failover: false })`',
  );
}

/** What {@link sipParticipantIn} needs of a room: its remote participants and their kind. */
export interface ParticipantsOf {
  readonly remoteParticipants: ReadonlyMap<string, { readonly kind?: unknown }>;
}

/**
 * The identity of the caller to transfer: the room's one remote SIP participant.
 *
 * @throws when the room has none, or more than one (which one to move cannot be guessed), with
 * the fix: pass `participantIdentity`.
 */
export function sipParticipantIn(owner: string, room: ParticipantsOf | undefined): string {
  const sip = [...(room?.remoteParticipants ?? new Map()).entries()]
    .filter(([, participant]) => participant.kind === SIP_PARTICIPANT_KIND)
    .map(([identity]) => identity);
  if (sip.length === 1) return sip[0] as string;
  const found = room
    ? `the room has ${sip.length === 0 ? 'no' : sip.length} SIP participants`
    : 'there is no LiveKit job room';
  throw new Error(
    `${owner}: no caller to transfer (${found}) — pass \`participantIdentity\` (the SIP participant's identity)`,
  );
}
