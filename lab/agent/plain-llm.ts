/**
 * The latency bench's baseline: a LangChain chat model behind a plain `llm.LLM` (no graph, no
 * adapter), streaming each chunk's text as it comes.
 */
import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage } from '@langchain/core/messages';
import { type APIConnectOptions, DEFAULT_API_CONNECT_OPTIONS, llm } from '@livekit/agents';

/** `model.stream()` as an agents-js LLM: the user's last words in, the model's text out. */
export class PlainLLM extends llm.LLM {
  readonly chatModel: BaseChatModel;

  constructor(model: BaseChatModel) {
    super();
    this.chatModel = model;
  }

  label(): string {
    return 'lab.PlainLLM';
  }

  chat({
    chatCtx,
    toolCtx,
    connOptions = DEFAULT_API_CONNECT_OPTIONS,
  }: {
    chatCtx: llm.ChatContext;
    toolCtx?: llm.ToolContext;
    connOptions?: APIConnectOptions;
  }): llm.LLMStream {
    return new PlainStream(this, { chatCtx, toolCtx, connOptions });
  }
}

class PlainStream extends llm.LLMStream {
  readonly #llm: PlainLLM;

  constructor(
    plain: PlainLLM,
    params: { chatCtx: llm.ChatContext; toolCtx?: llm.ToolContext; connOptions: APIConnectOptions },
  ) {
    super(plain, params);
    this.#llm = plain;
  }

  protected async run(): Promise<void> {
    const last = this.chatCtx.items.at(-1);
    const text = last?.type === 'message' ? (last.textContent ?? '') : '';
    const signal = this.abortController.signal;
    for await (const chunk of await this.#llm.chatModel.stream([new HumanMessage(text)], {
      signal,
    })) {
      if (signal.aborted) return;
      if (chunk.text)
        this.queue.put({
          id: chunk.id ?? 'plain',
          delta: { role: 'assistant', content: chunk.text },
        });
    }
  }
}
