/**
 * A real phone line, b and f: `hangupTool()` after a goodbye. The phone's recording holds every
 * word of the goodbye, the last one whole, and only then the bridge's BYE ends the call — with
 * `delete_room` (the room is gone) and with `remove_participant` (the phone gets a BYE as well).
 * How much of the last word arrives for each `drainMs` is measured by `npm run bench -- --only
 * sip` (docs/benchmarks.md), not asserted here.
 */
import { expect, it } from 'vitest';
import { waitForJobEvent } from '../../lab/agent/journal.js';
import { GOODBYE, THANKS } from '../../lab/agent/lines.js';
import { labContext, roomService } from '../../lab/session.js';
import { callAgent, SIP_CALLER_IDENTITY } from '../../lab/sip/line.js';
import { PHONE_RATE } from '../../lab/sip/phone.js';
import { speechOf } from '../../lab/voice/speech.js';
import { nameWords, WORD_MS, wordsOf } from '../../lab/voice/tones.js';
import { callerPhone } from './caller-phone.js';

const lab = labContext();
const caller = callerPhone(lab);

const goodbye = wordsOf(GOODBYE);

it.each([
  { action: 'delete_room', spec: { scenario: 'goodbye' } as const },
  {
    action: 'remove_participant',
    spec: { scenario: 'remove', callerIdentity: SIP_CALLER_IDENTITY } as const,
  },
])(
  'b, f. $action: every word of the goodbye reaches the handset, the last one whole, then the BYE',
  async ({ action, spec }) => {
    const phone = caller();
    const closedBefore = phone.eventsOf('CALL_CLOSED').length;
    const { line, room, greetingEnd } = await callAgent(lab, phone, spec);
    try {
      await phone.speak(speechOf(THANKS, PHONE_RATE));
      await phone.waitFor(
        'the BYE after the goodbye',
        () => phone.eventsOf('CALL_CLOSED').length > closedBefore,
      );

      const heard = phone.wordsFrom(greetingEnd);
      expect(nameWords(heard, goodbye)).toEqual(goodbye);
      // the last word whole, to the 10 ms block: not cut by the hangup
      expect(heard.at(-1)?.ms).toBeGreaterThanOrEqual(WORD_MS - 10);
      const hangup = await waitForJobEvent(lab.LAB_RUN_DIR, room, 'hangup');
      expect(hangup.action).toBe(action);
      expect(hangup.error).toBeUndefined();
      if (action === 'delete_room') expect(await roomService(lab).listRooms([room])).toEqual([]);
    } finally {
      await line.remove();
    }
  },
);
