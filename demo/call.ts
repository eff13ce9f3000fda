/**
 * The call `npm run demo` plays (see main.ts): a real `voice.AgentSession` runs the sample
 * agent's LangGraph graph through `LLMAdapter`, with a deterministic model, a scripted caller and
 * simulated speech timing; the graph ends the call and `hangupTool()` deletes the room through a
 * real `RoomServiceClient` and a local RoomService stand-in on 127.0.0.1 — or, with
 * `--transfer`, `transferTool()` transfers the caller through a real `SipClient` and a local SIP
 * stand-in that verifies the token's grants. Every path ends with the call report.
 */
import { once } from 'node:events';
import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { initializeLogger, voice } from '@livekit/agents';
import { buildSupportGraph } from '../examples/telephony-agent/graph.js';
import { startRoomServiceStub } from '../fixtures/room-service-server.js';
import { startSipStub } from '../fixtures/sip-server.js';
import {
  type CallReport,
  type HangupInfo,
  hangupTool,
  LLMAdapter,
  reportCall,
  type TransferInfo,
  transferTool,
} from '../src/index.js';
import { demoModel } from './brain.js';
import type { DemoOptions } from './options.js';
import { RealtimeAudioOutput, SpeakingAgent } from './playback.js';
import { Timeline } from './timeline.js';

const ROOM = 'call-demo';
const CALLER = 'sip_+15550100';

const DEFAULT_SCRIPT = [
  "Hi, I'm calling about my order.",
  "It's number 1001.",
  'Great. Can it go to my new address instead?',
  "That's all, thanks. Bye!",
];
/** With --transfer the caller asks for a person, and the call is transferred. */
const TRANSFER_SCRIPT = ["Hi, I'm calling about my order.", 'Can I talk to a person, please?'];
/** Where the sample graph's "human" destination rings in the demo. */
const HUMAN_NUMBER = 'tel:+15550199';
/** With --interrupt-goodbye the caller cuts into the first goodbye, then ends the call again. */
const AFTER_INTERRUPTED_GOODBYE = ['Wait, one more thing: what about order 1002?', 'Perfect, bye!'];

/** Runs the call `opts` describe; resolves to the process's exit code. */
export async function runDemo(opts: DemoOptions): Promise<number> {
  const timeline = new Timeline({
    color: process.stdout.isTTY && !opts['no-color'] && !process.env.NO_COLOR,
  });
  initializeLogger({ pretty: false, level: 'error' });
  const stub = await startRoomServiceStub();
  const sip = await startSipStub();
  const script = [
    ...(opts.script ?? (opts.transfer ? TRANSFER_SCRIPT : DEFAULT_SCRIPT)),
    ...(opts['interrupt-goodbye'] ? AFTER_INTERRUPTED_GOODBYE : []),
  ];
  timeline.plain(
    `livekit-langgraph demo: a scripted call in room "${ROOM}", speech at ${opts.speed}× speed`,
  );
  timeline.plain(`RoomService stand-in on ${stub.url}, SIP stand-in on ${sip.url}\n`);

  let goodbyePending = false;
  /** What the pending last line is: a goodbye, or the handoff line before a transfer. */
  let lastLine = 'goodbye';
  let hangupInfo: HangupInfo | undefined;
  let transferInfo: TransferInfo | undefined;
  const tools = BaseCallbackHandler.fromMethods({
    handleToolStart: (_tool, input, _runId, _parent, _tags, _metadata, name) =>
      timeline.line('tool', `${name ?? 'tool'}(${input})  (inside the graph, never spoken)`),
    handleToolEnd: (output) => timeline.line('tool', `→ ${JSON.stringify(toolText(output))}`),
  });
  const adapter = new LLMAdapter({
    graph: buildSupportGraph(demoModel({ transfer: opts.transfer }), { transfer: opts.transfer }),
    config: { callbacks: [tools] },
  });
  const hangup = hangupTool({
    roomService: stub.client(),
    roomName: ROOM,
    action: opts['remove-participant'] ? 'remove_participant' : 'delete_room',
    identity: CALLER,
    interruptible: opts['interrupt-goodbye'],
    onHangup: (info) => {
      hangupInfo = info;
    },
  });
  // the same tool, announcing on the timeline when the session hands it the graph's end_call
  const endCall: typeof hangup = {
    ...hangup,
    execute: (args, context) => {
      goodbyePending = true;
      timeline.line(
        'end',
        `end_call(${JSON.stringify(args)}) → hangupTool locks the goodbye and waits for it`,
      );
      return hangup.execute(args, context);
    },
  };
  const transfer = transferTool({
    destinations: { human: HUMAN_NUMBER },
    sipClient: sip.client(),
    roomName: ROOM,
    participantIdentity: CALLER,
    playDialtone: true,
    onTransfer: (info) => {
      transferInfo = info;
    },
  });
  const transferCall: typeof transfer = {
    ...transfer,
    execute: (args, context) => {
      goodbyePending = true;
      lastLine = 'handoff line';
      timeline.line(
        'end',
        `transfer_call(${JSON.stringify(args)}) → transferTool locks the handoff line and waits for it`,
      );
      return transfer.execute(args, context);
    },
  };
  const session = new voice.AgentSession({
    llm: adapter,
    vad: null,
    turnHandling: { turnDetection: 'manual', interruption: { resumeFalseInterruption: false } },
  });
  let interruptNextGoodbye = opts['interrupt-goodbye'];
  session.output.audio = new RealtimeAudioOutput(opts.speed, ({ interrupted, playedMs }) => {
    if (interrupted) {
      timeline.line(
        'agent',
        `… cut off by the caller after ${(playedMs / 1000).toFixed(1)} s of audio`,
      );
      if (goodbyePending) {
        timeline.line(
          'end',
          'the goodbye was cut: the call stays up, and the graph reads why on its next turn',
        );
      }
    } else if (goodbyePending) {
      timeline.line('agent', `${lastLine} finished playing`);
    }
    goodbyePending = false;
  });
  const agent = new SpeakingAgent({
    instructions: '', // the graph has its own system prompt
    tools: { end_call: endCall, ...(opts.transfer && { transfer_call: transferCall }) },
    onSpeak: (text, speakingMs) => {
      timeline.line('agent', `${text}  (${(speakingMs / 1000).toFixed(1)} s of speech)`);
      if (goodbyePending && interruptNextGoodbye) {
        interruptNextGoodbye = false;
        setTimeout(
          () => {
            timeline.line('caller', '(talks over the goodbye)');
            session.interrupt();
          },
          (speakingMs * 0.4) / opts.speed,
        );
      }
    },
  });
  const closed = once(session, voice.AgentSessionEventTypes.Close);
  await session.start({ agent });
  // one report per call, once the hangup is done: what LiveKit's session report does not say
  const reported = new Promise<CallReport>((resolve) => {
    reportCall({ session, threadId: ROOM, onReport: resolve });
  });

  for (const line of script) {
    if (hangupInfo || transferInfo) break;
    timeline.line('caller', line);
    await session.generateReply({ userInput: line }).waitForPlayout();
  }
  const request = await Promise.race([
    opts.transfer ? sip.nextRequest() : stub.nextRequest(),
    timeoutAfter(10_000),
  ]);
  if (!request) {
    timeline.line('note', 'the script ended and nothing hung up');
    await session.close();
    await Promise.all([stub.close(), sip.close()]);
    return 1;
  }
  const verified = request.status === 200 ? 'yes' : `no (${request.status})`;
  timeline.line(
    'livekit',
    `${request.method} ${JSON.stringify(request.body)}  (token and grants verified: ${verified})`,
  );
  await closed;
  // the session closes once the last line has played; onHangup / onTransfer report after the
  // request has been answered, which can come a moment later
  for (let waited = 0; !hangupInfo && !transferInfo && waited < 5_000; waited += 10) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  if (opts.transfer) {
    timeline.line(
      'livekit',
      `caller transferred to "${transferInfo?.to}" (${transferInfo?.destination}); session closed`,
    );
  } else {
    timeline.line(
      'livekit',
      `call ended; reason "${hangupInfo?.reason}", goodbye played in ${hangupInfo?.playoutWaitMs} ms, line held ${hangupInfo?.drainMs} ms more before the hangup`,
    );
  }
  const report = await Promise.race([reported, timeoutAfter(10_000)]);
  if (report) {
    timeline.line('livekit', 'call report (reportCall → onReport):');
    timeline.plain(JSON.stringify(report, null, 2));
  } else {
    timeline.line('note', 'no call report within 10 s');
  }
  await Promise.all([stub.close(), sip.close()]);
  const done = opts.transfer ? request.status === 200 && transferInfo : !hangupInfo?.error;
  return done && report ? 0 : 1;
}

/** The text of a tool result (a ToolMessage, or a plain string). */
function toolText(output: unknown): string {
  const content = (output as { content?: unknown })?.content ?? output;
  return typeof content === 'string' ? content : JSON.stringify(content);
}

function timeoutAfter(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}
