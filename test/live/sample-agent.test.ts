/**
 * g. The sample agent (examples/telephony-agent) against the lab: its own worker, started as its
 * README says, with the lab's keyless plugins switched in (AGENT_PLUGINS=lab/sample-plugins.ts);
 * it greets, and when the caller says goodbye its graph says goodbye and ends the call.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HumanMessage } from '@langchain/core/messages';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reply } from '../../demo/brain.js';
import { INBOUND_GREETING } from '../../examples/telephony-agent/agent.js';
import { DEFAULT_AGENT_NAME } from '../../examples/telephony-agent/env.js';
import type { LabProcess } from '../../lab/processes.js';
import { labContext, placeCall, roomService, startWorker } from '../../lab/session.js';
import { speechOf } from '../../lab/voice/speech.js';
import { nameWords, wordsOf } from '../../lab/voice/tones.js';

const lab = labContext();
const CALLER = 'Goodbye, thanks.';
let worker: LabProcess | undefined;

beforeAll(async () => {
  const agent = fileURLToPath(new URL('../../examples/telephony-agent/agent.ts', import.meta.url));
  worker = await startWorker(lab, agent, 'sample-agent', {
    // dev mode: production's load threshold would mark the worker full on two busy cores
    command: 'dev',
    env: {
      AGENT_PLUGINS: fileURLToPath(new URL('../../lab/sample-plugins.ts', import.meta.url)),
      LAB_CALLER_LINES: CALLER,
      CHECKPOINT_DB: join(lab.LAB_RUN_DIR, 'sample-agent-threads.sqlite'),
    },
  });
});
afterAll(async () => {
  await worker?.stop();
});

it('greets, and ends the call when the caller says goodbye', async () => {
  const { room, caller } = await placeCall(lab, '', DEFAULT_AGENT_NAME);
  try {
    const greeting = wordsOf(INBOUND_GREETING);
    await caller.waitFor('greeting', () => caller.heard().length >= greeting.length);
    const { endedAt } = await caller.speak(speechOf(CALLER));
    await caller.waitFor('disconnection', () => caller.disconnectedAt !== undefined);
    const expected = wordsOf(reply([new HumanMessage(CALLER)]).text ?? '');
    expect(nameWords(caller.heard(endedAt), expected)).toEqual(expected);
    expect(await roomService(lab).listRooms([room])).toEqual([]);
  } finally {
    await caller.leave();
  }
});
