import { AIMessage } from '@langchain/core/messages';
import { END, MessagesAnnotation, START, StateGraph } from '@langchain/langgraph';
import { ToolNode } from '@langchain/langgraph/prebuilt';
import { ChatOpenAI } from '@langchain/openai';
import { cli, defineAgent, type JobContext, log, ServerOptions, voice } from '@livekit/agents';
import { END_CALL, endCallTool, hangupTool, LLMAdapter, reportCall } from '../../src/index.js';

const tools = [endCallTool]; // ...and your own tools
const model = new ChatOpenAI({ model: 'gpt-4o-mini' }).bindTools(tools);
const lastReply = (state: typeof MessagesAnnotation.State) =>
  state.messages.filter((m) => AIMessage.isInstance(m)).at(-1);

export const graph = new StateGraph(MessagesAnnotation)
  .addNode('agent', async (state) => ({ messages: [await model.invoke(state.messages)] }))
  .addNode('tools', new ToolNode(tools))
  .addEdge(START, 'agent')
  .addConditionalEdges('agent', (state) => (lastReply(state)?.tool_calls?.length ? 'tools' : END))
  // the goodbye came with end_call: stop here, so the model is not asked to say more after it
  .addConditionalEdges('tools', (state) =>
    lastReply(state)?.tool_calls?.some((call) => call.name === END_CALL) ? END : 'agent',
  )
  .compile();

export default defineAgent({
  entry: async (ctx: JobContext) => {
    const adapter = new LLMAdapter({ graph });
    const session = new voice.AgentSession({
      llm: adapter,
      // LiveKit Inference (LiveKit Cloud only): no speech keys of your own
      stt: 'deepgram/nova-3',
      tts: 'cartesia/sonic-2',
    });
    const agent = new voice.Agent({
      instructions:
        'You are a friendly phone agent. When the caller is done, say a short goodbye and call end_call.',
      tools: { end_call: hangupTool() },
    });
    await session.start({ agent, room: ctx.room });
    adapter.attach(session); // a barge-in stops the graph at once, even while it is silent
    // one report per call, however it ended; POST it to your webhook here instead
    reportCall({
      session,
      onReport: ({ endedBy, reason, durationMs }) =>
        log().info({ endedBy, reason, durationMs }, 'call report'),
    });
    await ctx.connect();
  },
});

if (process.argv[1] === import.meta.filename)
  cli.runApp(new ServerOptions({ agent: import.meta.filename }));
