/**
 * The goodbye on a phone line, measured: one call per figure from a baresip phone through the
 * bridge to the agent, which says its goodbye and hangs up with `hangupTool({ drainMs, action })`.
 * What counts is the phone's own recording: how much of the goodbye's last word it got before the
 * BYE, and when the BYE came.
 */
import { readJournal, waitForJobEvent } from '../agent/journal.js';
import * as say from '../agent/lines.js';
import type { LabContext } from '../session.js';
import { speechOf } from '../voice/speech.js';
import { toneOf, WORD_MS, wordsOf } from '../voice/tones.js';
import { callAgent, SIP_CALLER_IDENTITY } from './line.js';
import { PHONE_RATE, type Phone } from './phone.js';

/** The drains the phone goodbye is measured with: none, the smallest safe one, the default, a second. */
export const PHONE_DRAINS = [0, 250, 500, 1000] as const;

/** How the agent hung up: the room deleted, or only the phone's participant removed. */
export type PhoneHangup = 'delete_room' | 'remove_participant';

/** One goodbye call to a phone. */
export interface PhoneGoodbyeFigure {
  drainMs: number | 'default';
  action: PhoneHangup;
  /** Every word of the goodbye heard, in order, the last one whole (to 10 ms). */
  whole: boolean;
  /** Milliseconds of the last word's tone the phone recorded (of WORD_MS). */
  lastWordMs: number;
  /**
   * Silence the phone recorded after the last word, up to the BYE. Under 20 ms the word ran into
   * the end of the call: the hangup cut it (a word short for another reason — a packet the
   * loaded line dropped — still has silence after it).
   */
  afterLastWordMs: number;
  /** The hangup cut the last word (afterLastWordMs under 20 ms). */
  clipped: boolean;
  /** The BYE's arrival at the phone after the agent's local playout ended. */
  byeAfterPlayoutMs: number;
  /** The BYE's arrival after the drain ended, i.e. about when the hangup request was sent. */
  byeAfterRequestMs: number;
}

const expected = wordsOf(say.GOODBYE);

/** Places one goodbye call from `phone` and measures what it heard. */
export async function phoneGoodbye(
  lab: LabContext,
  phone: Phone,
  drainMs: number | undefined,
  action: PhoneHangup = 'delete_room',
): Promise<PhoneGoodbyeFigure> {
  const closedBefore = phone.eventsOf('CALL_CLOSED').length;
  const { line, room, greetingEnd } = await callAgent(lab, phone, {
    ...(action === 'delete_room'
      ? { scenario: 'goodbye' }
      : { scenario: 'remove', callerIdentity: SIP_CALLER_IDENTITY }),
    ...(drainMs !== undefined && { drainMs }),
  });
  try {
    await phone.speak(speechOf(say.THANKS, PHONE_RATE));
    await phone.waitFor(
      'the BYE',
      () => phone.eventsOf('CALL_CLOSED').length > closedBefore,
      30_000,
    );
    const hangup = await waitForJobEvent(lab.LAB_RUN_DIR, room, 'hangup');
    const playedAt = readJournal(lab.LAB_RUN_DIR, room)
      .filter((event) => event.type === 'playout-finished')
      .at(-1)?.at;
    const recording = phone.callRecordings()[0] ?? new Int16Array(0);
    const heard = phone.wordsFrom(greetingEnd, recording);
    const last = heard.at(-1);
    const lastWordMs = last?.ms ?? 0;
    const afterLastWordMs =
      ((recording.length - greetingEnd - (last?.end ?? 0)) / PHONE_RATE) * 1000;
    const spelled =
      heard.length === expected.length &&
      heard.every((w, i) => w.tone === toneOf(expected[i] ?? ''));
    const byeAfterPlayoutMs =
      (phone.eventsOf('CALL_CLOSED').at(-1)?.at ?? Number.NaN) - (playedAt ?? Number.NaN);
    return {
      drainMs: drainMs ?? 'default',
      action,
      whole: spelled && lastWordMs >= WORD_MS - 10,
      lastWordMs,
      afterLastWordMs,
      clipped: afterLastWordMs < 20,
      byeAfterPlayoutMs,
      byeAfterRequestMs: byeAfterPlayoutMs - Number(hangup.drainMs ?? Number.NaN),
    };
  } finally {
    await line.remove();
  }
}
