/**
 * f. Barge-in by voice through a real livekit-server: the caller talks over a long answer while
 * the graph runs a silent step; the real VAD hears it, the agent's audio stops at the caller, the
 * graph's silent step is aborted (`adapter.attach`), and the agent answers the new turn. The
 * time from speech start to the last agent frame is a figure of `npm run bench -- --only lab`.
 */
import { expect, it } from 'vitest';
import { waitForJobEvent } from '../../lab/agent/journal.js';
import { GREETING, HOURS, LONG_ANSWER, STOPPED, WAIT } from '../../lab/agent/lines.js';
import { labContext, placeCall } from '../../lab/session.js';
import { speechOf } from '../../lab/voice/speech.js';
import { nameWords, toneOf, wordsOf } from '../../lab/voice/tones.js';

const lab = labContext();

it('stops the answer at the caller, aborts the silent graph step, answers the interruption', async () => {
  const { room, caller } = await placeCall(lab, { scenario: 'barge-in' });
  try {
    const greeting = wordsOf(GREETING);
    const answer = wordsOf(LONG_ANSWER);
    const stopped = wordsOf(STOPPED);
    const vocabulary = [...answer, ...stopped];
    await caller.waitFor('greeting', () => caller.heard().length >= greeting.length);
    const { endedAt } = await caller.speak(speechOf(HOURS));
    await waitForJobEvent(lab.LAB_RUN_DIR, room, 'silent-step');
    await caller.waitFor('the answer’s first words', () => caller.heard(endedAt).length >= 3);
    await caller.speak(speechOf(WAIT));
    const endsStopped = () =>
      caller
        .heard(endedAt)
        .slice(-stopped.length)
        .every((w, i) => w.tone === toneOf(stopped[i] ?? ''));
    await caller.waitFor('the answer to the interruption', endsStopped);

    const heard = caller.heard(endedAt);
    const cutAt = heard.length - stopped.length;
    const expected = [...answer.slice(0, cutAt), ...stopped];
    const cut = nameWords(heard, expected, vocabulary).slice(0, -stopped.length);
    expect(cut).toEqual(answer.slice(0, cut.length));
    expect(cut.length).toBeLessThan(answer.length);
    expect((await waitForJobEvent(lab.LAB_RUN_DIR, room, 'graph-aborted')).node).toBe('silent');
  } finally {
    await caller.leave();
  }
});
