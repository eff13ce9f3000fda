/**
 * e. The caller hangs up while the graph still streams its answer, through a real livekit-server:
 * the run is aborted, the thread keeps nothing of it (docs/threads-and-memory.md, "a run cut while
 * it was still running"), and the call report says the caller ended the call.
 *
 * Not asserted, because it fails on the real path (docs/local-lab.md, "What the lab found"): when
 * the caller leaves while a fully generated answer plays, agents-js 1.9 commits the whole answer
 * (marked interrupted) although only its first words were played, so the thread and the report's
 * transcript hold words the caller never heard.
 */
import { expect, it } from 'vitest';
import { waitForJobEvent } from '../../lab/agent/journal.js';
import { GREETING, HOURS, LONG_ANSWER } from '../../lab/agent/lines.js';
import { labContext, placeCall } from '../../lab/session.js';
import { speechOf } from '../../lab/voice/speech.js';
import { nameWords, wordsOf } from '../../lab/voice/tones.js';

const lab = labContext();
const greeting = wordsOf(GREETING);
const answer = wordsOf(LONG_ANSWER);

/** Calls, hears three words of the answer, hangs up; the words heard and what the job saw. */
async function leaveMidAnswer() {
  const { room, caller } = await placeCall(lab, { scenario: 'leave' });
  let endedAt = 0;
  try {
    await caller.waitFor('greeting', () => caller.heard().length >= greeting.length);
    ({ endedAt } = await caller.speak(speechOf(HOURS)));
    await caller.waitFor('the answer’s first words', () => caller.heard(endedAt).length >= 3);
  } finally {
    await caller.leave();
  }
  const heard = nameWords(caller.heard(endedAt), answer);
  const report = await waitForJobEvent(lab.LAB_RUN_DIR, room, 'report');
  const { messages } = await waitForJobEvent(lab.LAB_RUN_DIR, room, 'thread');
  const said = (messages as { type: string; text: string }[]).filter((m) => m.type === 'ai');
  return { room, heard, report, said: said.map((m) => m.text) };
}

it('while the graph still streams: the run is aborted, the thread keeps none of it; endedBy caller', async () => {
  const { room, heard, report, said } = await leaveMidAnswer();
  expect(heard).toEqual(answer.slice(0, heard.length));
  expect(report.endedBy).toBe('caller');
  expect((await waitForJobEvent(lab.LAB_RUN_DIR, room, 'graph-aborted')).node).toBe('agent');
  expect(said).toEqual([GREETING]);
});
