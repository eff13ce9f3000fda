/**
 * A LiveKit phone agent whose brain is a LangGraph graph (see `graph.ts`).
 *
 * Run it from the repository root (see README.md):
 *   npx tsx --env-file=examples/telephony-agent/.env examples/telephony-agent/agent.ts start
 *
 * Inbound calls reach it through a SIP dispatch rule naming its agent name; `dial.ts` sends it
 * outbound calls. The call ends when:
 * - the caller says goodbye: the model says goodbye and calls `end_call` (graph);
 * - the task is done: the model calls `finish`, the `goodbye` end-call node speaks (graph);
 * - a voicemail answers an outbound call: a message is left, then `hangupCall` (outbound.ts);
 * - the call reaches MAX_CALL_SECONDS, or the line stays silent: a notice, then `hangupCall`
 *   (timers.ts);
 * - the caller asks for a person (with TRANSFER_TO set): the model says so and calls
 *   `transfer_call` (graph), `transferTool` transfers the call.
 * The caller can type an order number on the keypad, then #: `forwardDtmf` makes it their turn.
 */
import { fileURLToPath } from 'node:url';
import { SqliteSaver } from '@langchain/langgraph-checkpoint-sqlite';
import { ChatOpenAI } from '@langchain/openai';
import {
  cli,
  defineAgent,
  type JobContext,
  type JobProcess,
  log,
  ServerOptions,
  voice,
} from '@livekit/agents';
import * as deepgram from '@livekit/agents-plugin-deepgram';
import * as openai from '@livekit/agents-plugin-openai';
import * as silero from '@livekit/agents-plugin-silero';
// In your own project: `from 'livekit-langgraph'`.
import {
  type CallReport,
  forwardDtmf,
  type HangupInfo,
  hangupCall,
  hangupTool,
  LLMAdapter,
  reportCall,
  transferTool,
} from '../../src/index.js';
import { agentNameOf, commandNeedsKeys, readAgentEnv } from './env.js';
import { buildSupportGraph, HUMAN } from './graph.js';
import { CALLEE_IDENTITY, phoneNumberOf, placeCall } from './outbound.js';
import { swappedPlugins } from './plugins.js';
import { startCallTimers } from './timers.js';

// AGENT_PLUGINS=<module>: keyless stand-ins for the model, STT and TTS (plugins.ts). They come
// without downloads, so turns are then detected by the VAD alone: the turn detector registers its
// model (a download, `download-files`) as soon as it is imported.
const swapped = await swappedPlugins();
const livekit = swapped ? undefined : await import('@livekit/agents-plugin-livekit');

/** The model behind the graph. */
const MODEL = 'gpt-4.1-mini';

/** What the agent says when it answers an inbound call. */
export const INBOUND_GREETING = 'Thanks for calling Acme support. How can I help you today?';
const OUTBOUND_GREETING = 'Hi, this is Acme support returning your call. How can I help?';
const STILL_THERE = 'Are you still there? I am happy to help if you need anything.';
const SILENT_GOODBYE = 'I have not heard from you, so I will hang up now. Goodbye!';
const TIME_LIMIT_GOODBYE =
  'We have reached the time limit for this call. Please call again if you need more help. Goodbye!';

export default defineAgent({
  prewarm: async (proc: JobProcess) => {
    // loaded once per process, before any call, so answering does not wait for the model
    proc.userData.vad = await silero.VAD.load();
  },

  entry: async (ctx: JobContext) => {
    const env = readAgentEnv();
    const phoneNumber = phoneNumberOf(ctx.job.metadata);

    // the thread of each call is kept under its room name, so a worker that takes over a call
    // (after a crash or a deploy) continues the same conversation
    const checkpointer = SqliteSaver.fromConnString(env.CHECKPOINT_DB);
    ctx.addShutdownCallback(async () => checkpointer.db.close());
    const model = swapped?.model ?? new ChatOpenAI({ model: MODEL, apiKey: env.OPENAI_API_KEY });
    const graph = buildSupportGraph(model, {
      checkpointer,
      transfer: env.TRANSFER_TO !== undefined,
    });

    // 'latest': the checkpointer holds the history, so each turn sends only what is new. Every
    // run forks from the checkpoint of the last turn the caller got, so the preemptive runs that
    // agents-js discards (and the unheard part of an interrupted answer) never reach the thread;
    // this graph's tools only read, so they may run preemptively (a graph whose tools act on the
    // world would call `adapter.holdPreemptiveRuns(session)`, docs/threads-and-memory.md).
    const adapter = new LLMAdapter({ graph, input: 'latest' });
    const session = new voice.AgentSession({
      stt:
        swapped?.stt ??
        new deepgram.STT({ apiKey: env.DEEPGRAM_API_KEY, model: 'nova-3', language: 'en-US' }),
      llm: adapter,
      tts:
        swapped?.tts ??
        new openai.TTS({ apiKey: env.OPENAI_API_KEY, model: 'gpt-4o-mini-tts', voice: 'coral' }),
      vad: ctx.proc.userData.vad as silero.VAD,
      turnHandling: {
        turnDetection: livekit ? new livekit.turnDetector.EnglishModel() : 'vad',
      },
    });
    const agent = new voice.Agent({
      instructions: '', // the graph owns its prompt (SYSTEM_PROMPT)
      tools: {
        end_call: hangupTool({ onHangup: logHangup }),
        // the graph names "human"; only this code knows the number it rings
        ...(env.TRANSFER_TO && {
          transfer_call: transferTool({
            destinations: { [HUMAN]: env.TRANSFER_TO },
            playDialtone: true,
            onTransfer: (info) => log().info({ to: info.to }, 'call transferred'),
          }),
        }),
      },
    });
    await session.start({
      agent,
      room: ctx.room,
      // an outbound call listens to the callee only, who joins after the agent (a spread: with
      // exactOptionalPropertyTypes, `tsc --init`'s default, the option refuses `undefined`)
      ...(phoneNumber ? { inputOptions: { participantIdentity: CALLEE_IDENTITY } } : {}),
    });
    // a barge-in stops the graph at once (even in a silent tool call), and a caller who hangs up
    // mid-answer leaves the thread holding only what they heard
    adapter.attach(session);
    // one report per call, however it ended (the graph, a timer, voicemail, the caller hanging
    // up, an error): who ended it, why, what was heard, the tokens. This logs a summary; POST the
    // whole report to your webhook or CRM here (the job waits for it before it exits)
    reportCall({ session, onReport: logReport });

    // keys the caller types (an order number, then #) reach the graph as the caller's turn
    forwardDtmf({ session, room: ctx.room });

    if (phoneNumber) {
      const outcome = await placeCall(session, env, ctx.room.name ?? '', phoneNumber);
      if (outcome === 'ended') return;
      // a callee who said "Hello?" gets the graph's answer to it; one who said nothing, a greeting
      if (outcome === 'callee-silent') session.say(OUTBOUND_GREETING);
    } else {
      session.say(INBOUND_GREETING);
    }

    // started once someone is on the line: ringing is neither call time nor silence
    startCallTimers(session, {
      maxCallMs: env.MAX_CALL_SECONDS * 1000,
      silenceTimeoutMs: env.SILENCE_TIMEOUT_SECONDS * 1000,
      onMaxDuration: () => endCallWith(session, TIME_LIMIT_GOODBYE, 'max duration'),
      onSilencePrompt: () => sayIfRunning(session, STILL_THERE),
      onSilenceTimeout: () => endCallWith(session, SILENT_GOODBYE, 'caller silent'),
    });
  },
});

/** Says `text` without letting it be cut, then hangs up once it has played. */
function endCallWith(session: voice.AgentSession, text: string, reason: string): void {
  const speech = sayIfRunning(session, text, { allowInterruptions: false });
  if (!speech) return;
  hangupCall({ session, speech, reason, onHangup: logHangup }).catch((error: unknown) =>
    log().error({ error }, 'hangup failed'),
  );
}

/** `session.say`, except that a session already closing (the call is ending) says nothing. */
function sayIfRunning(
  session: voice.AgentSession,
  text: string,
  options?: { allowInterruptions?: boolean },
): voice.SpeechHandle | undefined {
  try {
    return session.say(text, options);
  } catch (error) {
    // say() throws once the session stopped running; the call is over, nothing to add
    log().debug({ error }, 'session not running; not speaking');
    return undefined;
  }
}

function logHangup(info: HangupInfo): void {
  const { reason, action, playoutWaitMs, interrupted, timedOut, error } = info;
  log().info(
    { reason, action, playoutWaitMs, interrupted, timedOut, error, 'lk.pii.room': info.roomName },
    'call ended',
  );
}

function logReport(report: CallReport): void {
  const { endedBy, reason, durationMs, usage } = report;
  log().info(
    { endedBy, reason, durationMs, totalTokens: usage.totalTokens, 'lk.pii.room': report.room },
    'call report',
  );
}

// Only when run as a program: the worker's job processes import this file for its agent.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // fail now rather than on the first call; `download-files` and `--help` need no keys
  if (commandNeedsKeys(process.argv.slice(2))) {
    try {
      readAgentEnv();
    } catch (error) {
      process.stderr.write(`${(error as Error).message}\n`);
      process.exit(1);
    }
  }
  cli.runApp(
    new ServerOptions({
      agent: fileURLToPath(import.meta.url),
      agentName: agentNameOf(),
      // a job process loads the plugins, LangGraph and SQLite before it takes a call: on a busy
      // two-core machine that outlasted agents-js's 10 s default, and the call went unanswered
      initializeProcessTimeout: 60_000,
    }),
  );
}
