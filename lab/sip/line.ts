/**
 * Phone numbers of the lab, routed to the agent the way users set it up (docs/telephony.md): an
 * inbound trunk that takes calls from the phones' address for a number, and a dispatch rule that
 * puts each call in a room of its own with the agent dispatched to it by name (a worker with an
 * `agentName` is never dispatched automatically). The dispatch carries the lab scenario.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { RoomAgentDispatch, RoomConfiguration, SipClient } from 'livekit-server-sdk';
import { waitForJobEvent } from '../agent/journal.js';
import type { ScenarioSpec } from '../agent/lines.js';
import { LAB_AGENT_NAME } from '../agent/names.js';
import type { LabEnv } from '../server.js';
import { httpUrl, type LabContext, roomService } from '../session.js';
import { SIP_PORT } from './bridge.js';
import type { Phone } from './phone.js';

/** A number that reaches the agent, and how to take it down. */
export interface LabNumber {
  /** The number, e.g. `+15550100`. */
  number: string;
  /** What a phone dials: `sip:<number>@127.0.0.1:5060`. */
  uri: string;
  /** The prefix of the rooms its calls get. */
  roomPrefix: string;
  /** The room of the call placed to it (waits, bounded, until the bridge created it). */
  room(): Promise<string>;
  trunkId: string;
  ruleId: string;
  /** Deletes the dispatch rule and the trunk. */
  remove(): Promise<void>;
}

/**
 * The room identity of the lab's caller phone on an inbound call: livekit-sip names a caller's
 * participant `sip_<the caller's SIP user>`, and the phone dials as `caller`.
 */
export const SIP_CALLER_IDENTITY = 'sip_caller';

/** The lab's SIP API client. */
export const sipClient = (lab: LabEnv) =>
  new SipClient(httpUrl(lab), lab.LIVEKIT_API_KEY, lab.LIVEKIT_API_SECRET);

let numbers = 0;

/** Routes a new number to the lab agent running `spec`. */
export async function routeToAgent(lab: LabEnv, spec: ScenarioSpec): Promise<LabNumber> {
  const sip = sipClient(lab);
  const number = `+1555${String(process.pid % 1000).padStart(3, '0')}${String(++numbers).padStart(4, '0')}`;
  const roomPrefix = `sip-${spec.scenario}-${numbers}-`;
  const trunk = await sip.createSipInboundTrunk(`lab ${spec.scenario}`, [number], {
    allowedAddresses: ['127.0.0.1/32'],
  });
  const rule = await sip.createSipDispatchRule(
    { type: 'individual', roomPrefix },
    {
      name: `lab ${spec.scenario}`,
      trunkIds: [trunk.sipTrunkId],
      roomConfig: new RoomConfiguration({
        agents: [
          new RoomAgentDispatch({ agentName: LAB_AGENT_NAME, metadata: JSON.stringify(spec) }),
        ],
      }),
    },
  );
  return {
    number,
    room: () => callRoom(lab, roomPrefix),
    uri: `sip:${number}@127.0.0.1:${SIP_PORT}`,
    roomPrefix,
    trunkId: trunk.sipTrunkId,
    ruleId: rule.sipDispatchRuleId,
    remove: async () => {
      await sip.deleteSipDispatchRule(rule.sipDispatchRuleId);
      await sip.deleteSipTrunk(trunk.sipTrunkId);
    },
  };
}

/** How long the bridge may take to put a call in its room. */
const ROOM_TIMEOUT_MS = 10_000;

async function callRoom(lab: LabEnv, prefix: string): Promise<string> {
  const deadline = Date.now() + ROOM_TIMEOUT_MS;
  for (;;) {
    const room = (await roomService(lab).listRooms()).find((r) => r.name.startsWith(prefix));
    if (room) return room.name;
    if (Date.now() > deadline)
      throw new Error(
        `lab: no room ${prefix}… within ${ROOM_TIMEOUT_MS} ms: did the call reach the bridge?`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * How long a call may take to be answered and greeted: the agent's job process starts only when
 * the call arrives, and on a loaded machine that takes up to a minute (lab/agent/worker.ts).
 */
export const ANSWER_TIMEOUT_MS = 60_000;
/**
 * What the line (and the phone's recording buffer) may still hold when the agent's playout ended:
 * well above the 100 ms the drain's figures show.
 */
const LINE_DELAY_MS = 500;

/** A greeted call: its number, its room, and where the greeting ends in the call's recording. */
export interface GreetedCall {
  line: LabNumber;
  room: string;
  /** Samples of the call's recording up to the end of the greeting (what follows is the test's). */
  greetingEnd: number;
}

/** A call from `phone` to a number routed to the agent running `spec`, once the greeting was heard. */
export async function callAgent(
  lab: LabContext,
  phone: Pick<Phone, 'dial' | 'callRecordings'>,
  spec: ScenarioSpec,
): Promise<GreetedCall> {
  const line = await routeToAgent(lab, spec);
  try {
    await phone.dial(line.uri);
    const room = await line.room();
    const greetingEnd = await greetingHeard(lab, phone, room);
    return { line, room, greetingEnd };
  } catch (error) {
    await line.remove();
    throw error;
  }
}

/**
 * Waits until the agent's greeting in `room` ended on `phone`'s line: its playout ended (the job's
 * journal says so) and the line had LINE_DELAY_MS to carry its last word. Returns where the
 * greeting ends in the call's recording. Waiting on the job, not on counting words, keeps a word
 * the line broke at the start of a call (its jitter buffer adapts there) from stalling a test.
 */
export async function greetingHeard(
  lab: LabContext,
  phone: Pick<Phone, 'callRecordings'>,
  room: string,
): Promise<number> {
  const greeted = await waitForJobEvent(
    lab.LAB_RUN_DIR,
    room,
    'playout-finished',
    ANSWER_TIMEOUT_MS,
  );
  await sleep(Math.max(0, greeted.at + LINE_DELAY_MS - Date.now()));
  return phone.callRecordings()[0]?.length ?? 0;
}

/** How long a lab phone rings before an outbound call gives up (LiveKit's ringing timeout), in s. */
export const OUTBOUND_RINGING_S = 20;

/** An outbound call of the lab: through which trunk, to whom, into which room. */
export interface OutboundCall {
  trunkId: string;
  /** The number or user the trunk calls. */
  to: string;
  room: string;
  /** The identity the called phone gets in the room. */
  identity: string;
  ringingTimeoutS?: number;
}

/**
 * Calls a phone with `createSipParticipant` and returns once it answered. The wait is LiveKit's
 * own ringing timeout (plus the SDK's 2 s margin); a phone that never answers fails it, with an
 * error naming the phone, the room and the timeout, and LiveKit's answer.
 */
export async function dialOut(lab: LabEnv, call: OutboundCall) {
  const ringingTimeout = call.ringingTimeoutS ?? OUTBOUND_RINGING_S;
  try {
    return await sipClient(lab).createSipParticipant(call.trunkId, call.to, call.room, {
      participantIdentity: call.identity,
      waitUntilAnswered: true,
      ringingTimeout,
    });
  } catch (error) {
    const { status, code, message } = error as { status?: number; code?: string; message?: string };
    throw new Error(
      `lab: the outbound call to ${call.to} into ${call.room} was not answered (ringing timeout ${ringingTimeout} s; LiveKit answered ${status ?? 'nothing'} ${code ?? ''}: ${message})`,
      { cause: error },
    );
  }
}
