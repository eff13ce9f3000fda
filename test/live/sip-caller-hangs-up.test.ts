/**
 * A real phone line, e: the caller hangs up (the phone sends BYE) while the graph still streams
 * its answer. The run is aborted, the thread keeps none of the unfinished answer, and the call
 * report says the caller ended the call — within REPORT_BOUND_MS of the BYE.
 */
import { expect, it } from 'vitest';
import { readJournal, waitForJobEvent } from '../../lab/agent/journal.js';
import { GREETING, HOURS, LONG_ANSWER } from '../../lab/agent/lines.js';
import { labContext } from '../../lab/session.js';
import { callAgent } from '../../lab/sip/line.js';
import { PHONE_RATE } from '../../lab/sip/phone.js';
import { speechOf } from '../../lab/voice/speech.js';
import { nameWords, wordsOf } from '../../lab/voice/tones.js';
import { callerPhone } from './caller-phone.js';

/** How long after the phone's BYE the report may come (the bridge ends the room first). */
const REPORT_BOUND_MS = 10_000;

const lab = labContext();
const caller = callerPhone(lab);

it('e. the phone hangs up mid-answer: the run is aborted, the thread keeps none of it; endedBy caller', async () => {
  const phone = caller();
  const { line, room, greetingEnd } = await callAgent(lab, phone, { scenario: 'leave' });
  try {
    await phone.speak(speechOf(HOURS, PHONE_RATE));
    const heardAtBye = await phone.waitForAudio(
      'the answer’s first words',
      (r) => phone.wordsFrom(greetingEnd, r).length >= 3,
    );
    await phone.hangup();
    const answer = wordsOf(LONG_ANSWER);
    const heard = nameWords(phone.wordsFrom(greetingEnd, heardAtBye), answer);
    expect(heard).toEqual(answer.slice(0, heard.length));

    const report = await waitForJobEvent(lab.LAB_RUN_DIR, room, 'report', REPORT_BOUND_MS);
    expect(report.endedBy).toBe('caller');
    expect(readJournal(lab.LAB_RUN_DIR, room).some((e) => e.type === 'graph-aborted')).toBe(true);
    const { messages } = await waitForJobEvent(lab.LAB_RUN_DIR, room, 'thread');
    const said = (messages as { type: string; text: string }[]).filter((m) => m.type === 'ai');
    expect(said.map((m) => m.text)).toEqual([GREETING]);
  } finally {
    await line.remove();
  }
});
