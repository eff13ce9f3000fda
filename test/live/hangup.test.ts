/**
 * b, c. Ending the call through a real livekit-server: the goodbye is heard whole before the
 * caller is disconnected, then the room is gone (`delete_room`) — or only the caller is removed
 * and the room stays (`remove_participant`). The drain's figures, with and without it, come from
 * `npm run bench -- --only lab` (docs/benchmarks.md).
 */
import { expect, it } from 'vitest';
import { GOODBYE, GREETING, THANKS } from '../../lab/agent/lines.js';
import { LabCaller } from '../../lab/caller.js';
import { labContext, placeCall, roomService } from '../../lab/session.js';
import { speechOf } from '../../lab/voice/speech.js';
import { nameWords, WORD_MS, wordsOf } from '../../lab/voice/tones.js';

const lab = labContext();

const greeting = wordsOf(GREETING);
const expected = wordsOf(GOODBYE);

/**
 * Greets, says thanks, and waits until the caller is disconnected; returns when the thanks ended:
 * what arrives from then on is the agent's answer.
 */
async function hangUpOn(caller: LabCaller, afterGreeting = async () => {}): Promise<number> {
  await caller.waitFor('greeting', () => caller.heard().length >= greeting.length);
  await afterGreeting();
  const { endedAt } = await caller.speak(speechOf(THANKS));
  await caller.waitFor(
    'disconnection after the goodbye',
    () => caller.disconnectedAt !== undefined,
  );
  return endedAt;
}

it('delete_room: every word of the goodbye arrives whole before the disconnection; the room is gone', async () => {
  const { room, caller } = await placeCall(lab, { scenario: 'goodbye' });
  try {
    const heard = caller.heard(await hangUpOn(caller));
    expect(nameWords(heard, expected)).toEqual(expected);
    expect(heard.every((word) => word.lastAt <= (caller.disconnectedAt ?? 0))).toBe(true);
    // the last word whole: its tone, to the 10 ms block, not cut by the hangup
    expect(heard.at(-1)?.ms).toBeGreaterThanOrEqual(WORD_MS - 10);
    expect(await roomService(lab).listRooms([room])).toEqual([]);
  } finally {
    await caller.leave();
  }
});

it('remove_participant: the caller hears the goodbye and is removed; the room and a supervisor stay, the agent leaves', async () => {
  const { room, caller } = await placeCall(lab, { scenario: 'remove' });
  let supervisor: LabCaller | undefined;
  try {
    // a supervisor joins once the agent answered the caller (the agent listens to the first)
    const spoke = await hangUpOn(caller, async () => {
      supervisor = await LabCaller.join(lab, room, 'supervisor');
    });
    if (!supervisor) throw new Error('the supervisor did not join');
    expect(nameWords(caller.heard(spoke), expected)).toEqual(expected);
    const agent = [...supervisor.room.remoteParticipants.values()].find((p) =>
      p.identity.startsWith('agent-'),
    )?.identity;
    expect(agent).toBeDefined();
    const watcher = supervisor;
    await watcher.waitFor('the agent leaving', () => watcher.left.includes(agent ?? ''));
    expect(supervisor.left).toContain('caller');
    expect(supervisor.disconnectedAt).toBeUndefined();
    expect((await roomService(lab).listRooms([room])).map((r) => r.name)).toEqual([room]);
  } finally {
    await supervisor?.leave();
    await caller.leave();
  }
});
