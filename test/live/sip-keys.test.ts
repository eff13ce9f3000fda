/**
 * A real phone line, d: keys both ways over RFC 4733. The graph's `sendDtmf` reaches the phone,
 * which reports each digit in order; the phone's keypad presses reach `forwardDtmf` as one turn
 * and resume the graph waiting in `interrupt()` with the digits, whose answer the phone hears.
 *
 * The keys come after the words before them, as the caller hears it: when the phone reports the
 * first key, its recording already holds every word of the reply that carried the keys.
 */
import { expect, it } from 'vitest';
import { waitForJobEvent } from '../../lab/agent/journal.js';
import {
  KEYS_IN,
  KEYS_OUT,
  PAY,
  PIN_QUESTION,
  pinAccepted,
  SENDING_KEYS,
} from '../../lab/agent/lines.js';
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
  const { line, room, greetingEnd } = await callAgent(lab, phone, { scenario: 'keys' });
  try {
    await phone.speak(speechOf(PAY, PHONE_RATE));
    const keys = () => phone.eventsOf('CALL_DTMF_START').map((event) => event.param);
    // how much the phone had heard when the first key reached it (events come as they happen)
    let heardAtFirstKey = 0;
    await phone.waitFor(`the keys ${KEYS_OUT}`, () => {
      if (keys().length > 0 && heardAtFirstKey === 0) {
        heardAtFirstKey = phone.callRecordings()[0]?.length ?? 0;
      }
      return keys().length >= KEYS_OUT.length;
    });
    expect(keys().join('')).toBe(KEYS_OUT);
    const reply = [...wordsOf(SENDING_KEYS), ...wordsOf(PIN_QUESTION)];
    const beforeKeys = phone.wordsFrom(greetingEnd).slice(0, reply.length);
    expect(nameWords(beforeKeys, reply)).toEqual(reply);
    expect(greetingEnd + (beforeKeys.at(-1)?.end ?? Infinity)).toBeLessThanOrEqual(heardAtFirstKey);

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
