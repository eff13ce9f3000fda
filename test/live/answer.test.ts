/**
 * a. Greet and answer, through a real livekit-server: after the greeting, the caller hears the
 * graph's answer word by word, in order, and never the tool's chatter.
 */
import { expect, it } from 'vitest';
import {
  GREETING,
  ONE_MOMENT,
  ORDER_ANSWER,
  ORDER_QUESTION,
  ORDER_TOOL_RESULT,
} from '../../lab/agent/lines.js';
import { labContext, placeCall } from '../../lab/session.js';
import { speechOf } from '../../lab/voice/speech.js';
import { nameWords, wordsOf } from '../../lab/voice/tones.js';

const lab = labContext();

it('speaks the greeting, then the graph’s words in order, never the tool result', async () => {
  const { caller } = await placeCall(lab, { scenario: 'answer' });
  try {
    const greeting = wordsOf(GREETING);
    await caller.waitFor('greeting', () => caller.heard().length >= greeting.length);
    const { endedAt } = await caller.speak(speechOf(ORDER_QUESTION));
    const expected = [...wordsOf(ONE_MOMENT), ...wordsOf(ORDER_ANSWER)];
    await caller.waitFor('answer', () => caller.heard(endedAt).length >= expected.length);
    const vocabulary = [...expected, ...wordsOf(ORDER_TOOL_RESULT)];
    expect(nameWords(caller.heard(endedAt), expected, vocabulary)).toEqual(expected);
  } finally {
    await caller.leave();
  }
});
