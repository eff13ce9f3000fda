/**
 * Audio-mode `voice.AgentSession`s without a room or a TTS: the agent's `ttsNode` turns each
 * reply into silent frames and a {@link ControlledAudioOutput} "plays" them until the test says
 * playback is finished — so tests order events by hand instead of by time.
 *
 * Never resolve a promise with a `SpeechHandle`: it is thenable, so the promise would wait for its
 * playout (a deadlock when the test holds the playback). Wrap it in an object.
 */
import { once } from 'node:events';
import { ReadableStream, WritableStream } from 'node:stream/web';
import { AsyncIterableQueue, type llm, voice } from '@livekit/agents';
import { AudioFrame } from '@livekit/rtc-node';
import { withTimeout } from './session.js';

const SAMPLE_RATE = 24_000;
/** 20 ms of mono audio. */
const FRAME_SAMPLES = 480;

/**
 * An audio output whose playback ends only when the test calls {@link finishPlayback}, or when
 * agents-js clears it (an interruption).
 */
export class ControlledAudioOutput extends voice.AudioOutput {
  private static readonly SEGMENT_FLUSHED = 'segmentFlushed';
  /** Fully captured segments whose playback the test has not finished yet. */
  private waitingSegments = 0;
  /** Segments cut by `clearBuffer()`, i.e. interruptions that reached the audio. */
  clearedSegments = 0;
  /** `process.hrtime.bigint()` of the last {@link finishPlayback} call. */
  playbackFinishedAt: bigint | undefined;
  /**
   * What the caller heard of a segment cut by an interruption, as a transcript synchronizer
   * reports it; without it agents-js commits all the text the reply produced.
   */
  heardWhenInterrupted: string | undefined;

  constructor() {
    super(SAMPLE_RATE);
  }

  override async captureFrame(frame: AudioFrame): Promise<void> {
    const segments = this.capturedPlayoutSegments;
    await super.captureFrame(frame);
    if (this.capturedPlayoutSegments > segments) this.onPlaybackStarted(Date.now());
  }

  override flush(): void {
    super.flush();
    if (this.pendingPlayoutSegments === 0) return;
    this.waitingSegments += 1;
    this.emit(ControlledAudioOutput.SEGMENT_FLUSHED);
  }

  override clearBuffer(): void {
    if (this.pendingPlayoutSegments === 0) return;
    this.clearedSegments += 1;
    this.waitingSegments = Math.max(0, this.waitingSegments - 1);
    const heard = this.heardWhenInterrupted;
    this.heardWhenInterrupted = undefined;
    this.onPlaybackFinished(
      heard === undefined
        ? { playbackPosition: 0, interrupted: true }
        : { playbackPosition: 0.5, interrupted: true, synchronizedTranscript: heard },
    );
  }

  /** Resolves once a fully captured segment is waiting for {@link finishPlayback}. */
  async waitForSegment(): Promise<void> {
    while (this.waitingSegments === 0) {
      await once(this, ControlledAudioOutput.SEGMENT_FLUSHED);
    }
  }

  /** Ends the playback of the oldest waiting segment; returns the moment it did, for benchmarks. */
  finishPlayback(): bigint {
    if (this.waitingSegments === 0) {
      throw new Error('finishPlayback(): no captured segment is waiting; await waitForSegment()');
    }
    this.waitingSegments -= 1;
    this.playbackFinishedAt = process.hrtime.bigint();
    this.onPlaybackFinished({ playbackPosition: FRAME_SAMPLES / SAMPLE_RATE, interrupted: false });
    return this.playbackFinishedAt;
  }
}

/** 20 ms of silence, as the audio of a reply or of `session.say(text, { audio: silence() })`. */
export function silence(): ReadableStream<AudioFrame> {
  return new ReadableStream<AudioFrame>({
    start(controller) {
      controller.enqueue(
        new AudioFrame(new Int16Array(FRAME_SAMPLES), SAMPLE_RATE, 1, FRAME_SAMPLES),
      );
      controller.close();
    },
  });
}

/** A `voice.Agent` whose TTS speaks each reply, once its text is complete, as {@link silence}. */
export class FramesAgent extends voice.Agent {
  override async ttsNode(text: ReadableStream<string>): Promise<ReadableStream<AudioFrame>> {
    await text.pipeTo(new WritableStream());
    return silence();
  }
}

export interface AudioSession {
  session: voice.AgentSession;
  agent: FramesAgent;
  output: ControlledAudioOutput;
}

/**
 * Starts an audio-mode session (no VAD, manual turn detection, a {@link ControlledAudioOutput})
 * with a {@link FramesAgent} holding `tools`, runs `fn`, then closes the session.
 */
export async function withAudioSession<T>(
  options: { llm: llm.LLM; tools?: voice.AgentOptions<unknown>['tools'] },
  fn: (s: AudioSession) => Promise<T>,
): Promise<T> {
  const session = new voice.AgentSession({
    llm: options.llm,
    vad: null,
    turnHandling: { turnDetection: 'manual', interruption: { resumeFalseInterruption: false } },
  });
  const output = new ControlledAudioOutput();
  session.output.audio = output;
  const agent = new FramesAgent({ instructions: '', tools: options.tools });
  await withTimeout(session.start({ agent }), 10_000, 'session.start');
  try {
    return await fn({ session, agent, output });
  } finally {
    await withTimeout(session.close(), 10_000, 'session.close');
  }
}

/** One execution of an observed tool: what it returned and the speech that carried the call. */
export interface ToolExecution {
  output: unknown;
  speech: voice.SpeechHandle;
}

/** What {@link observeTool} needs of a tool: `hangupTool()`, or a tool of a `Toolset`. */
type ExecutableTool = { execute(args: never, options: never): unknown };

/**
 * Wraps a function tool so the test can await each of its executions, in order.
 *
 * @example
 * ```ts
 * const receiver = observeTool(hangupTool({ roomService, roomName }));
 * // ... tools: { end_call: receiver.tool }
 * const { output, speech } = await receiver.nextExecution();
 * ```
 */
export function observeTool<T extends ExecutableTool>(tool: T) {
  const executions = new AsyncIterableQueue<ToolExecution>();
  const execute = tool.execute.bind(tool) as (
    args: unknown,
    options: { ctx: voice.RunContext<unknown> },
  ) => Promise<unknown>;
  const observed = {
    ...tool,
    execute: async (args: unknown, options: { ctx: voice.RunContext<unknown> }) => {
      const output = await execute(args, options);
      executions.put({ output, speech: options.ctx.speechHandle });
      return output;
    },
  } as T;
  return {
    tool: observed,
    nextExecution: async (): Promise<ToolExecution> => {
      const { value, done } = await executions.next();
      if (done) throw new Error('observeTool: closed');
      return value;
    },
  };
}

/**
 * The caller says `userInput` (default "bye"); resolves once the agent's `end_call` tool has run
 * and the goodbye's audio waits to be played. The goodbye comes wrapped: an async function
 * returning a (thenable) SpeechHandle would wait for its playout.
 */
export async function goodbyeInFlight(
  { session, output }: AudioSession,
  receiver: { nextExecution(): Promise<ToolExecution> },
  userInput = 'bye',
): Promise<ToolExecution> {
  session.generateReply({ userInput });
  const execution = await withTimeout(receiver.nextExecution(), 10_000, 'end_call');
  await withTimeout(output.waitForSegment(), 10_000, 'the goodbye audio');
  return execution;
}

/**
 * The caller finishes a spoken turn saying `text`: the entry agents-js's `AudioRecognition` calls
 * once STT and turn detection have ended a turn (there is no STT here). Resolves once the activity
 * has handled it; `false` when there was no activity to hear it.
 */
export async function callerSays({ session }: AudioSession, text: string): Promise<boolean> {
  let activity: ReturnType<voice.Agent['getActivityOrThrow']>;
  try {
    activity = session.currentAgent.getActivityOrThrow();
  } catch {
    return false;
  }
  const now = Date.now();
  await activity.onEndOfTurn({
    newTranscript: text,
    transcriptConfidence: 1,
    transcriptionDelay: 0,
    endOfUtteranceDelay: 0,
    startedSpeakingAt: now - 500,
    stoppedSpeakingAt: now,
  });
  return true;
}
