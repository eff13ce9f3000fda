/**
 * The goodbye's two waits, on a real SpeechHandle and the controlled audio output: when the local
 * playout ended, whether any audio played, and the drain that follows.
 */
import { voice } from '@livekit/agents';
import { AudioFrame } from '@livekit/rtc-node';
import { describe, expect, it } from 'vitest';
import { ControlledAudioOutput } from '../../../fixtures/audio.js';
import {
  drainAfterPlayout,
  type Playout,
  waitForLastLine,
  warmUpHttp,
} from '../../../src/call/speak-then-act/playout.js';

/** A session as waitForLastLine sees it: its audio output, on or off. */
const sessionWith = (audio: voice.AudioOutput | null, audioEnabled = true) => ({
  output: { audio, audioEnabled },
});

/** Captures one 20 ms frame and flushes: one segment waiting for finishPlayback(). */
async function captureSegment(output: ControlledAudioOutput): Promise<void> {
  await output.captureFrame(new AudioFrame(new Int16Array(480), 24_000, 1, 480));
  output.flush();
}

const played = (audioEndedAt: number | undefined): Playout => ({
  playoutWaitMs: 0,
  interrupted: false,
  timedOut: false,
  audioEndedAt,
});

describe('waitForLastLine', () => {
  it('notes when the goodbye audio finished playing, before the speech is done', async () => {
    const output = new ControlledAudioOutput();
    const speech = voice.SpeechHandle.create();
    const wait = waitForLastLine(sessionWith(output), speech, 10_000, undefined);
    await captureSegment(output);
    output.finishPlayback();
    const finishedAt = performance.now();
    speech._markDone();
    const playout = await wait;
    expect([playout.interrupted, playout.timedOut]).toEqual([false, false]);
    expect(playout.audioEndedAt).toBeLessThanOrEqual(finishedAt);
  });

  it.each([
    ['an audio output that is turned off', sessionWith(new ControlledAudioOutput(), false)],
    ['no audio output (text mode)', sessionWith(null)],
  ])('counts nothing as played with %s', async (_, session) => {
    const speech = voice.SpeechHandle.create();
    const wait = waitForLastLine(session, speech, 10_000, undefined);
    speech._markDone();
    expect((await wait).audioEndedAt).toBeUndefined();
  });

  it('counts a goodbye cleared before any of it played as silent', async () => {
    const output = new ControlledAudioOutput();
    const speech = voice.SpeechHandle.create();
    const wait = waitForLastLine(sessionWith(output), speech, 10_000, undefined);
    await captureSegment(output);
    output.clearBuffer(); // reports playbackPosition 0
    speech.interrupt();
    speech._markDone();
    expect(await wait).toMatchObject({ interrupted: true, audioEndedAt: undefined });
  });

  it('returns at once without a goodbye, and reports a timeout', async () => {
    expect(await waitForLastLine(sessionWith(null), undefined, 10_000, undefined)).toEqual(
      played(undefined),
    );
    const stuck = voice.SpeechHandle.create();
    expect(await waitForLastLine(sessionWith(null), stuck, 1, undefined)).toMatchObject({
      timedOut: true,
    });
  });

  it("ends when `played` settles, not on the speech's done callback (a tool waiting inside itself)", async () => {
    const speech = voice.SpeechHandle.create();
    let playedOut = () => {};
    const played = new Promise<void>((resolve) => (playedOut = resolve));
    const wait = waitForLastLine(sessionWith(null), speech, 10_000, undefined, () => played);
    playedOut();
    // the speech itself is never marked done: only `played` can have ended the wait
    expect(await wait).toMatchObject({ interrupted: false, timedOut: false });
  });

  it('stops listening to the audio output once the goodbye is done', async () => {
    const output = new ControlledAudioOutput();
    const speech = voice.SpeechHandle.create();
    const wait = waitForLastLine(sessionWith(output), speech, 10_000, undefined);
    expect(output.listenerCount(voice.AudioOutput.EVENT_PLAYBACK_FINISHED)).toBe(1);
    speech._markDone();
    await wait;
    expect(output.listenerCount(voice.AudioOutput.EVENT_PLAYBACK_FINISHED)).toBe(0);
  });
});

describe('drainAfterPlayout', () => {
  it.each([
    ['drainMs is 0', played(performance.now()), 0],
    ['no goodbye audio played', played(undefined), 500],
    ['the goodbye timed out', { ...played(performance.now()), timedOut: true }, 500],
  ])('is skipped when %s', async (_, playout, drainMs) => {
    expect(await drainAfterPlayout(playout, drainMs, undefined)).toBe(0);
  });

  it('counts from the local playout end, not from when it is called', async () => {
    const longAgo = performance.now() - 1_000;
    // the time already passed: no wait, and it says how long after playout the action comes
    expect(await drainAfterPlayout(played(longAgo), 50, undefined)).toBeGreaterThanOrEqual(1_000);
  });

  it('waits at least drainMs after the playout end', async () => {
    const endedAt = performance.now();
    const waited = await drainAfterPlayout(played(endedAt), 30, undefined);
    expect(performance.now() - endedAt).toBeGreaterThanOrEqual(30);
    expect(waited).toBeGreaterThanOrEqual(30);
  });

  it('is aborted by the signal', async () => {
    const cancel = new AbortController();
    const drain = drainAfterPlayout(played(performance.now()), 10_000, cancel.signal);
    const reason = new Error('operator cancelled');
    cancel.abort(reason);
    await expect(drain).rejects.toMatchObject({ name: 'AbortError', cause: reason });
  });
});

describe('warmUpHttp', () => {
  it('loads fetch once per process and never fails', async () => {
    const first = warmUpHttp();
    expect(warmUpHttp()).toBe(first);
    await expect(first).resolves.toBeUndefined();
  });
});
