/**
 * A real phone line, outbound: the agent is dispatched to a room, `SipClient.createSipParticipant`
 * calls the phone through an outbound trunk and returns once it answered; the agent speaks first,
 * the phone says its line, and the graph ends the call — the phone heard every word, then the BYE.
 */
import { AgentDispatchClient } from 'livekit-server-sdk';
import { expect, it } from 'vitest';
import { GOODBYE, GREETING, THANKS } from '../../lab/agent/lines.js';
import { LAB_AGENT_NAME } from '../../lab/agent/names.js';
import { httpUrl, labContext } from '../../lab/session.js';
import { greetingHeard, sipClient } from '../../lab/sip/line.js';
import { CALLER_PORTS, PHONE_RATE, phoneWords } from '../../lab/sip/phone.js';
import { speechOf } from '../../lab/voice/speech.js';
import { nameWords, WORD_MS, wordsOf } from '../../lab/voice/tones.js';
import { callerPhone } from './caller-phone.js';

const lab = labContext();
const caller = callerPhone(lab, { autoAnswer: true });

it('the agent calls the phone, speaks first and ends the call; the phone heard it all', async () => {
  const phone = caller();
  const sip = sipClient(lab);
  const trunk = await sip.createSipOutboundTrunk('lab outbound', `127.0.0.1:${CALLER_PORTS.sip}`, [
    '+15550000',
  ]);
  const room = `sip-outbound-${process.pid}`;
  try {
    await new AgentDispatchClient(
      httpUrl(lab),
      lab.LIVEKIT_API_KEY,
      lab.LIVEKIT_API_SECRET,
    ).createDispatch(room, LAB_AGENT_NAME, { metadata: JSON.stringify({ scenario: 'goodbye' }) });
    const answered = await sip.createSipParticipant(trunk.sipTrunkId, 'caller', room, {
      participantIdentity: 'callee',
      waitUntilAnswered: true,
    });
    expect(answered.participantIdentity).toBe('callee');
    const greetingEnd = await greetingHeard(lab, phone, room);
    const greeting = wordsOf(GREETING);
    const first = phone.callRecordings()[0]?.subarray(0, greetingEnd) ?? new Int16Array(0);
    expect(nameWords(phoneWords(first), greeting)).toEqual(greeting);
    await phone.speak(speechOf(THANKS, PHONE_RATE));
    await phone.waitFor(
      'the BYE after the goodbye',
      () => phone.eventsOf('CALL_CLOSED').length > 0,
    );
    const expected = wordsOf(GOODBYE);
    const heard = phone.wordsFrom(greetingEnd);
    expect(nameWords(heard, expected)).toEqual(expected);
    expect(heard.at(-1)?.ms).toBeGreaterThanOrEqual(WORD_MS - 10);
  } finally {
    await sip.deleteSipTrunk(trunk.sipTrunkId);
  }
});
