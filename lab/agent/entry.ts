/**
 * The lab's agent, as agents-js runs agents in production: the worker (worker.ts) registers under
 * an agent name, the test dispatches it to a room with a scenario in the dispatch's metadata, and
 * each job runs here, in a job process: `ctx.connect()`, an `AgentSession` with the keyless
 * plugins and the scenario's `LLMAdapter`, the package's tools. What the job sees goes to its
 * journal (journal.ts) for the test.
 */
import { defineAgent, type JobContext, type JobProcess, voice } from '@livekit/agents';
import * as silero from '@livekit/agents-plugin-silero';
import { forwardDtmf, reportCall } from '../../src/index.js';
import { ScriptSTT } from '../voice/script-stt.js';
import { ToneTTS } from '../voice/tone-tts.js';
import { openJournal } from './journal.js';
import { GREETING, type ScenarioSpec } from './lines.js';
import { buildScenario } from './scenarios.js';

export default defineAgent({
  prewarm: async (proc: JobProcess) => {
    proc.userData.vad = await silero.VAD.load();
  },

  entry: async (ctx: JobContext) => {
    const spec = JSON.parse(ctx.job.metadata) as ScenarioSpec;
    const runDir = process.env.LAB_RUN_DIR;
    if (!runDir) throw new Error('lab agent: LAB_RUN_DIR is not set — start it through lab/lab.ts');
    const record = openJournal(runDir, ctx.job.room?.name ?? 'unknown');
    const scenario = buildScenario(spec, record);

    await ctx.connect();
    const session = new voice.AgentSession({
      stt: new ScriptSTT(scenario.lines),
      llm: scenario.llm,
      tts: new ToneTTS(),
      vad: ctx.proc.userData.vad as silero.VAD,
      // the lab's calls end on purpose; no "are you there" timer keeps a finished job alive
      userAwayTimeout: null,
    });
    session.on(voice.AgentSessionEventTypes.AgentStateChanged, (ev) =>
      record({ type: 'agent-state', state: ev.newState }),
    );
    session.on(voice.AgentSessionEventTypes.UserStateChanged, (ev) =>
      record({ type: 'user-state', state: ev.newState }),
    );
    // what each tool told the graph, and when (a failed transfer's words, its bound)
    session.on(voice.AgentSessionEventTypes.FunctionToolsExecuted, (ev) => {
      for (const output of ev.functionCallOutputs) {
        record({ type: 'tool-output', name: output.name, output: output.output });
      }
    });
    reportCall({
      session,
      onReport: async (report) => {
        record({
          type: 'report',
          endedBy: report.endedBy,
          reason: report.reason,
          actions: report.actions,
          transcript: report.transcript,
        });
        // what the caller heard of an answer cut by the end of the call is stored after it ended
        await scenario.adapter?.settled();
        if (scenario.thread) record({ type: 'thread', messages: await scenario.thread() });
      },
    });

    await session.start({
      agent: new voice.Agent({ instructions: '', tools: scenario.tools }),
      room: ctx.room,
    });
    session.output.audio?.on(
      'playbackFinished',
      (ev: { interrupted: boolean; playbackPosition: number }) =>
        record({
          type: 'playout-finished',
          interrupted: ev.interrupted,
          positionS: ev.playbackPosition,
        }),
    );
    scenario.adapter?.attach(session);
    if (spec.scenario === 'keys') forwardDtmf({ session, room: ctx.room });
    record({ type: 'started' });
    session.say(GREETING);
  },
});
