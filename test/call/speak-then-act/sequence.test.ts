/**
 * The shared "speak, then act" steps on a real SpeechHandle: what an interrupted line means, the
 * hook before the drain, and a callback that throws.
 */
import { voice } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { hearLastLine, tellApp } from '../../../src/call/speak-then-act/sequence.js';

const textMode = { output: { audio: null, audioEnabled: false } };

/** A speech the caller interrupted, already done. */
function interruptedSpeech(): voice.SpeechHandle {
  const speech = voice.SpeechHandle.create();
  speech.interrupt();
  speech._markDone();
  return speech;
}

const line = { playoutTimeoutMs: 10_000, drainMs: 500 };

describe('hearLastLine', () => {
  it('calls the action off when the line was interrupted and that cancels it', async () => {
    const played: boolean[] = [];
    const heard = await hearLastLine(textMode, {
      ...line,
      speech: interruptedSpeech(),
      cancelIfInterrupted: true,
      onPlayed: (timedOut) => played.push(timedOut),
    });
    expect([heard, played]).toEqual(['interrupted', []]);
  });

  it('goes on after an interrupted line when it does not, and reports it', async () => {
    const played: boolean[] = [];
    const heard = await hearLastLine(textMode, {
      ...line,
      speech: interruptedSpeech(),
      cancelIfInterrupted: false,
      onPlayed: (timedOut) => played.push(timedOut),
    });
    // text mode plays no audio: nothing to drain
    expect(heard).toMatchObject({ interrupted: true, timedOut: false, drainMs: 0 });
    expect(played).toEqual([false]);
  });

  it('acts at once without a last line', async () => {
    const heard = await hearLastLine(textMode, {
      ...line,
      speech: undefined,
      cancelIfInterrupted: true,
    });
    expect(heard).toEqual({ playoutWaitMs: 0, interrupted: false, timedOut: false, drainMs: 0 });
  });
});

describe('tellApp', () => {
  it('hands the info over, and keeps what the callback throws from the caller', async () => {
    const told: string[] = [];
    await tellApp('onHangup', async (info: string) => void told.push(info), 'hung up');
    await expect(
      tellApp('onHangup', () => Promise.reject(new Error('broke')), 'hung up'),
    ).resolves.toBeUndefined();
    await expect(tellApp('onHangup', undefined, 'hung up')).resolves.toBeUndefined();
    expect(told).toEqual(['hung up']);
  });
});
