/**
 * Asks the phone agent to call a number:
 *
 *   npx tsx --env-file=examples/telephony-agent/.env examples/telephony-agent/dial.ts +15105550100
 *
 * It only creates an explicit agent dispatch into a fresh room, with the number in the dispatch
 * metadata. The agent's job then starts answering-machine detection and dials the number itself
 * (outbound.ts), so the detector hears the call from its first ring.
 */
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { AgentDispatchClient } from 'livekit-server-sdk';
import { readDialEnv } from './env.js';

/** E.164: a plus, a country code, at most 15 digits. */
const E164 = /^\+[1-9]\d{6,14}$/;

/**
 * Dispatches the agent named AGENT_NAME into a new room, asking it to call `phoneNumber`.
 *
 * @returns the room the call takes place in.
 * @throws Error when the number is not in E.164 form or a LiveKit variable is missing.
 */
export async function requestCall(
  phoneNumber: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string> {
  if (!E164.test(phoneNumber)) {
    throw new Error('dial: expected a phone number in E.164 form, e.g. +15105550100');
  }
  const { LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET, AGENT_NAME } = readDialEnv(env);
  // random, not the number: room names show up in logs and dashboards
  const roomName = `call-out-${randomBytes(4).toString('hex')}`;
  const dispatches = new AgentDispatchClient(LIVEKIT_URL, LIVEKIT_API_KEY, LIVEKIT_API_SECRET);
  // LiveKit creates the room for the dispatch; the agent must run with the same AGENT_NAME
  await dispatches.createDispatch(roomName, AGENT_NAME, {
    metadata: JSON.stringify({ phoneNumber }),
  });
  return roomName;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  requestCall(process.argv[2] ?? '').then(
    (roomName) => process.stdout.write(`dispatched the agent to room ${roomName}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
