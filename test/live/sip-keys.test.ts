/**
 * A real phone line, d: keys both ways over RFC 4733. The graph's `sendDtmf` reaches the phone,
 * which reports each digit in order; the phone's keypad presses reach `forwardDtmf` as one turn
 * and resume the graph waiting in `interrupt()` with the digits, whose answer the phone hears.
 *
 * Not asserted, because it fails on the real line (docs/local-lab.md, "A real phone line"): the
 * words the agent says while its keys go out — here the last word before them and the question
 * after — arrive broken or not at all.
 */
import { expect, it } from 'vitest';
import { waitForJobEvent } from '../../lab/agent/journal.js';
import { KEYS_IN, KEYS_OUT, PAY, pinAccepted } from '../../lab/agent/lines.js';
import { labContext } from '../../lab/session.js';
import { callAgent } from '../../lab/sip/line.js';
import { PHONE_RATE } from '../../lab/sip/phone.js';
import { speechOf } from '../../lab/voice/speech.js';
import { nameWords, wordsOf } from '../../lab/voice/tones.js';
import { callerPhone } from './caller-phone.js';

const lab = labContext();
const caller = callerPhone(lab);

it('d. the graph presses keys at the phone, and the phone’s keys resume interrupt()', async () => {
  const phone = caller();
  const { line, room } = await callAgent(lab, phone, { scenario: 'keys' });
  try {
    await phone.speak(speechOf(PAY, PHONE_RATE));
    const keys = () => phone.eventsOf('CALL_DTMF_START').map((event) => event.param);
    await phone.waitFor(`the keys ${KEYS_OUT}`, () => keys().length >= KEYS_OUT.length);
    expect(keys().join('')).toBe(KEYS_OUT);

    // the pin question has played (the call's second playout) before the phone answers it
    await waitForJobEvent(lab.LAB_RUN_DIR, room, 'playout-finished', 30_000, 2);
    const pressedAt = phone.callRecordings()[0]?.length ?? 0;
    await phone.pressKeys(`${KEYS_IN}#`);
    expect((await waitForJobEvent(lab.LAB_RUN_DIR, room, 'resumed')).digits).toBe(KEYS_IN);
    const confirmed = wordsOf(pinAccepted(KEYS_IN));
    const heard = await phone.waitForAudio(
      'the pin confirmation',
      (r) => phone.wordsFrom(pressedAt, r).length >= confirmed.length,
    );
    expect(nameWords(phone.wordsFrom(pressedAt, heard), confirmed)).toEqual(confirmed);
    await phone.hangup();
  } finally {
    await line.remove();
  }
});
