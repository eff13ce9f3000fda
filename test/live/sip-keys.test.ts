/**
 * A real phone line, d: keys both ways over RFC 4733. The graph's `sendDtmf` reaches the phone,
 * which reports each digit in order; the phone's keypad (`1 2 3 4 #` style presses) reaches
 * `forwardDtmf` as one turn and resumes the graph waiting in `interrupt()` with the digits.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
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
import { CALLER_PORTS, PHONE_RATE, Phone } from '../../lab/sip/phone.js';
import { speechOf } from '../../lab/voice/speech.js';
import { nameWords, wordsOf } from '../../lab/voice/tones.js';

const lab = labContext();
let phone: Phone;

beforeAll(async () => {
  phone = await Phone.start({ name: 'caller', ports: CALLER_PORTS, runDir: lab.LAB_RUN_DIR });
});
afterAll(() => phone?.stop());

it('d. the graph presses keys at the phone, and the phone’s keys resume interrupt()', async () => {
  const { line, room, greetingEnd } = await callAgent(lab, phone, { scenario: 'keys' });
  try {
    await phone.speak(speechOf(PAY, PHONE_RATE));
    const keys = () => phone.eventsOf('CALL_DTMF_START').map((event) => event.param);
    await phone.waitFor(`the keys ${KEYS_OUT}`, () => keys().length >= KEYS_OUT.length);
    expect(keys().join('')).toBe(KEYS_OUT);

    const asked = [...wordsOf(SENDING_KEYS), ...wordsOf(PIN_QUESTION)];
    await phone.waitForAudio(
      'the pin question',
      (r) => phone.wordsFrom(greetingEnd, r).length >= asked.length,
    );
    await phone.pressKeys(`${KEYS_IN}#`);
    expect((await waitForJobEvent(lab.LAB_RUN_DIR, room, 'resumed')).digits).toBe(KEYS_IN);
    const confirmed = [...asked, ...wordsOf(pinAccepted(KEYS_IN))];
    const heard = await phone.waitForAudio(
      'the pin confirmation',
      (r) => phone.wordsFrom(greetingEnd, r).length >= confirmed.length,
    );
    expect(nameWords(phone.wordsFrom(greetingEnd, heard), confirmed)).toEqual(confirmed);
    await phone.hangup();
  } finally {
    await line.remove();
  }
});
