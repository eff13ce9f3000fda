/**
 * Call actions bound to the call (issue 23): how long a caller who is gone, a hanging receiver or
 * a graph gone quiet still hold the call or the job, with the defaults. One run each, in text
 * mode against the local stand-ins; the figures go to docs/when-things-fail.md.
 *
 * Run it: `npx tsx bench/call-bound.ts` (prints a markdown table). It asserts nothing.
 */
import { AIMessage } from '@langchain/core/messages';
import { END, MemorySaver, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { initializeLogger, type JobContext, runWithJobContext, voice } from '@livekit/agents';
import { startSipStub } from '../fixtures/sip-server.js';
import {
  type CallReport,
  dtmfTool,
  LLMAdapter,
  reportCall,
  sendDtmf,
  transferCall,
  transferTool,
} from '../src/index.js';
import { formatTable } from './stats.js';

const say = (words: string) =>
  new StateGraph(MessagesAnnotation)
    .addNode('agent', async (_state, config) => {
      if (words === 'transfer') transferCall(config, { to: 'billing' });
      if (words === 'keys') sendDtmf(config, '1'.repeat(32));
      return { messages: [new AIMessage(`About to ${words}.`)] };
    })
    .addEdge(START, 'agent')
    .addEdge('agent', END)
    .compile();

/** Starts a text-mode session; `fn` gets it and the time of the first report. */
async function withSession<T>(
  llm: LLMAdapter,
  tools: voice.AgentOptions<unknown>['tools'],
  fn: (session: voice.AgentSession, report: Promise<CallReport>) => Promise<T>,
): Promise<T> {
  const session = new voice.AgentSession({ llm });
  session.on(voice.AgentSessionEventTypes.Error, () => {});
  await session.start({ agent: new voice.Agent({ instructions: '', tools }) });
  const report = new Promise<CallReport>((resolve) => reportCall({ session, onReport: resolve }));
  try {
    return await fn(session, report);
  } finally {
    await session.close();
  }
}

/** The caller hangs up while the destination rings (default `requestTimeoutMs`, 30 s). */
async function hangupWhileRinging(): Promise<number> {
  const sip = await startSipStub();
  sip.respondWith('hang');
  try {
    const tool = transferTool({
      destinations: { billing: 'tel:+15105550100' },
      sipClient: sip.client(),
      roomName: 'bench',
      participantIdentity: 'caller',
    });
    return await withSession(
      new LLMAdapter({ graph: say('transfer') }),
      { transfer_call: tool },
      async (session, report) => {
        session.generateReply({ userInput: 'a person please' });
        await sip.nextRequest();
        const leftAt = performance.now();
        session.shutdown({ drain: false, reason: voice.CloseReason.PARTICIPANT_DISCONNECTED });
        await report;
        return performance.now() - leftAt;
      },
    );
  } finally {
    await sip.close();
  }
}

/** The call ends after the first of 32 keys (300 ms apart): how long the close takes. */
async function closeDuringKeys(): Promise<[number, number]> {
  let pressed = 0;
  const room = { localParticipant: { publishDtmf: async () => void pressed++ } };
  return withSession(
    new LLMAdapter({ graph: say('keys') }),
    { send_dtmf: dtmfTool({ room }) },
    async (session) => {
      session.generateReply({ userInput: 'enter it' });
      while (pressed === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      const endedAt = performance.now();
      await session.close();
      return [performance.now() - endedAt, pressed];
    },
  );
}

/** A receiver that never settles, inside a job: how long the job's shutdown waits (default 5 s). */
async function hangingReceiver(): Promise<number> {
  const callbacks: (() => Promise<void>)[] = [];
  const job = {
    room: { name: 'bench', on: () => {}, off: () => {} },
    addShutdownCallback: (callback: () => Promise<void>) => void callbacks.push(callback),
    simulationContext: () => undefined,
  } as unknown as JobContext;
  return withSession(new LLMAdapter({ graph: say('talk') }), {}, async (session) => {
    reportCall({ session, onReport: () => new Promise<void>(() => {}) });
    await runWithJobContext(job, () => session.close());
    const shutdownAt = performance.now();
    await Promise.all(callbacks.map((callback) => callback()));
    return performance.now() - shutdownAt;
  });
}

/** "Let me check that." then a node that hangs: silence until the error line (default 10 s). */
async function quietAfterFirstWords(): Promise<number> {
  const graph = new StateGraph(MessagesAnnotation)
    .addNode('work', async (_state, config) => {
      config.writer?.('Let me check that.');
      return new Promise<typeof MessagesAnnotation.Update>(() => {});
    })
    .addEdge(START, 'work')
    .addEdge('work', END)
    .compile({ checkpointer: new MemorySaver() });
  const adapter = new LLMAdapter({ graph, input: 'latest', threadId: 'bench-gap' });
  adapter.on('error', () => {});
  return withSession(adapter, {}, async (session) => {
    const reply = session.run({ userInput: 'where is my order?' });
    const startedAt = performance.now();
    let firstWordsAt = startedAt;
    session.on(voice.AgentSessionEventTypes.AgentStateChanged, (ev) => {
      if (ev.newState === 'speaking' && firstWordsAt === startedAt)
        firstWordsAt = performance.now();
    });
    await reply.wait();
    return performance.now() - firstWordsAt;
  });
}

initializeLogger({ pretty: false, level: 'fatal' });
// the package's timers do not keep a process alive by themselves (a job's connection does)
const alive = setInterval(() => {}, 1_000);
const ms = (value: number) => `${(value / 1000).toFixed(2)} s`;
const ring = await hangupWhileRinging();
const [keysClose, keys] = await closeDuringKeys();
const receiver = await hangingReceiver();
const gap = await quietAfterFirstWords();
clearInterval(alive);
process.stdout.write(
  `${formatTable(
    ['fault (defaults)', 'before (issue 23)', 'after'],
    [
      ['caller hangs up while a transfer rings → report', '28.9 s', ms(ring)],
      [
        `call ends during a 32-key press → close (keys sent: ${keys})`,
        '27 s (100 keys)',
        ms(keysClose),
      ],
      ['a report receiver never settles → job shutdown', 'never (40 s+ seen)', ms(receiver)],
      ['graph says a line, then hangs → error line', '45 s (until the probe gave up)', ms(gap)],
    ],
  )}\n`,
);
