/**
 * d. Keys both ways through a real livekit-server: the graph's `sendDtmf` reaches the caller as
 * DtmfReceived, every key in order and `gapMs` apart; the caller's keys reach `forwardDtmf` and
 * resume the graph waiting in `interrupt()` with the digits.
 */
import { expect, it } from 'vitest';
import { waitForJobEvent } from '../../lab/agent/journal.js';
import {
  GREETING,
  KEYS_IN,
  KEYS_OUT,
  PAY,
  PIN_QUESTION,
  pinAccepted,
  SENDING_KEYS,
} from '../../lab/agent/lines.js';
import { labContext, placeCall } from '../../lab/session.js';
import { speechOf } from '../../lab/voice/speech.js';
import { nameWords, wordsOf } from '../../lab/voice/tones.js';

const lab = labContext();
/** dtmfTool's gapMs in the lab agent (lab/agent/scenarios.ts). */
const GAP_MS = 300;
/** What the network may take off a gap: data packets travel through the server one by one. */
const JITTER_MS = 50;

it('the graph presses keys at the caller, and the caller’s keys resume interrupt()', async () => {
  const { room, caller } = await placeCall(lab, { scenario: 'keys' });
  try {
    const greeting = wordsOf(GREETING);
    await caller.waitFor('greeting', () => caller.heard().length >= greeting.length);
    const { endedAt } = await caller.speak(speechOf(PAY));
    const asked = [...wordsOf(SENDING_KEYS), ...wordsOf(PIN_QUESTION)];
    await caller.waitFor(`the keys ${KEYS_OUT}`, () => caller.keys.length >= KEYS_OUT.length);
    await caller.waitFor('the pin question', () => caller.heard(endedAt).length >= asked.length);
    expect(caller.keys.map((key) => key.digit).join('')).toBe(KEYS_OUT);
    for (const [i, key] of caller.keys.slice(1).entries()) {
      expect(key.at - (caller.keys[i]?.at ?? 0)).toBeGreaterThanOrEqual(GAP_MS - JITTER_MS);
    }

    for (const key of `${KEYS_IN}#`) await caller.pressKey(key);
    const confirmed = [...asked, ...wordsOf(pinAccepted(KEYS_IN))];
    await caller.waitFor(
      'the pin confirmation',
      () => caller.heard(endedAt).length >= confirmed.length,
    );
    expect(nameWords(caller.heard(endedAt), confirmed)).toEqual(confirmed);
    expect((await waitForJobEvent(lab.LAB_RUN_DIR, room, 'resumed')).digits).toBe(KEYS_IN);
  } finally {
    await caller.leave();
  }
});
