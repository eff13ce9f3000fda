/**
 * A real phone line, a: a SIP phone (baresip) dials a number routed to the agent by an inbound
 * trunk and a dispatch rule; the bridge (livekit-sip) puts the call in a room, the agent answers,
 * and the phone's own recording has the greeting and the answer to the caller's first line.
 */
import { expect, it } from 'vitest';
import {
  GREETING,
  ONE_MOMENT,
  ORDER_ANSWER,
  ORDER_QUESTION,
  ORDER_TOOL_RESULT,
} from '../../lab/agent/lines.js';
import { labContext } from '../../lab/session.js';
import { callAgent } from '../../lab/sip/line.js';
import { PHONE_RATE, phoneWords } from '../../lab/sip/phone.js';
import { speechOf } from '../../lab/voice/speech.js';
import { nameWords, wordsOf } from '../../lab/voice/tones.js';
import { callerPhone } from './caller-phone.js';

const lab = labContext();
const caller = callerPhone(lab);

it('a. the phone dials, the agent answers; the phone heard the greeting and the answer, never the tool result', async () => {
  const phone = caller();
  const { line, greetingEnd } = await callAgent(lab, phone, { scenario: 'answer' });
  try {
    expect(phone.eventsOf('CALL_ESTABLISHED')).toHaveLength(1);
    const greeting = wordsOf(GREETING);
    await phone.speak(speechOf(ORDER_QUESTION, PHONE_RATE));
    const answer = [...wordsOf(ONE_MOMENT), ...wordsOf(ORDER_ANSWER)];
    const heard = await phone.waitForAudio(
      'the answer',
      (r) => phone.wordsFrom(greetingEnd, r).length >= answer.length,
    );
    const vocabulary = [...greeting, ...answer, ...wordsOf(ORDER_TOOL_RESULT)];
    expect(nameWords(phoneWords(heard.subarray(0, greetingEnd)), greeting)).toEqual(greeting);
    expect(nameWords(phone.wordsFrom(greetingEnd, heard), answer, vocabulary)).toEqual(answer);
    await phone.hangup();
  } finally {
    await line.remove();
  }
});
