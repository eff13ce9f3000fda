/**
 * A deterministic chat model for tests, the demo and the benchmarks: it answers from a script,
 * streams its text token by token (synchronously, or one timer per token), streams tool calls as
 * `tool_call_chunks` (name first, then argument fragments) and reports `usage_metadata`.
 */
import type { CallbackManagerForLLMRun } from '@langchain/core/callbacks/manager';
import {
  BaseChatModel,
  type BaseChatModelCallOptions,
  type BindToolsInput,
} from '@langchain/core/language_models/chat_models';
import { AIMessage, AIMessageChunk, type BaseMessage } from '@langchain/core/messages';
import { ChatGenerationChunk, type ChatResult } from '@langchain/core/outputs';

/** One scripted reply. */
export interface ScriptedReply {
  text?: string;
  toolCalls?: { name: string; args?: Record<string, unknown>; id?: string }[];
  /** Reported as `usage_metadata` on the last chunk. */
  usage?: { input: number; output: number };
  /** Throw this error instead of answering. */
  error?: Error;
}

/** A reply, or a function that picks one from the conversation so far. */
export type ScriptStep = ScriptedReply | ((messages: BaseMessage[]) => ScriptedReply);

export interface ScriptedChatModelOptions {
  /** Replies in order; the last one repeats when the script runs out. */
  script: ScriptStep[];
  /** Milliseconds between tokens; 0 yields every token synchronously (no timer). */
  tokenDelayMs?: number;
  /** Milliseconds before the first token, as a model behind a network would wait. @default 0 */
  firstTokenDelayMs?: number;
  /** Splits text into streamed tokens. @default words with their leading space */
  tokenize?: (text: string) => string[];
}

let messageCounter = 0;

/** Splits "Hello there." into ["Hello", " there."]. */
export const wordTokens = (text: string): string[] => text.match(/\s*\S+/g) ?? [];

export class ScriptedChatModel extends BaseChatModel {
  readonly calls: BaseMessage[][] = [];
  readonly boundTools: string[] = [];
  #step = 0;
  readonly #options: ScriptedChatModelOptions;

  constructor(options: ScriptedChatModelOptions) {
    super({});
    this.#options = options;
  }

  _llmType(): string {
    return 'scripted';
  }

  override bindTools(tools: BindToolsInput[]): this {
    for (const tool of tools) {
      const name = (tool as { name?: unknown }).name;
      if (typeof name === 'string') this.boundTools.push(name);
    }
    return this;
  }

  #next(messages: BaseMessage[]): ScriptedReply {
    this.calls.push(messages);
    const { script } = this.#options;
    const step = script[Math.min(this.#step++, script.length - 1)];
    if (step === undefined) throw new Error('ScriptedChatModel: empty script');
    const reply = typeof step === 'function' ? step(messages) : step;
    if (reply.error) throw reply.error;
    return reply;
  }

  async _generate(messages: BaseMessage[]): Promise<ChatResult> {
    const reply = this.#next(messages);
    const message = new AIMessage({
      id: `scripted-${++messageCounter}`,
      content: reply.text ?? '',
      tool_calls: (reply.toolCalls ?? []).map((call, index) => ({
        id: call.id ?? `call_scripted-${messageCounter}_${index}`,
        name: call.name,
        args: call.args ?? {},
        type: 'tool_call' as const,
      })),
      usage_metadata: usageOf(reply),
    });
    return { generations: [{ message, text: reply.text ?? '' }] };
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this['ParsedCallOptions'] & BaseChatModelCallOptions,
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const reply = this.#next(messages);
    const delay = this.#options.tokenDelayMs ?? 0;
    if (this.#options.firstTokenDelayMs)
      await sleep(this.#options.firstTokenDelayMs, options.signal);
    for (const message of replyChunks(
      reply,
      `scripted-${++messageCounter}`,
      this.#options.tokenize ?? wordTokens,
    )) {
      if (delay > 0) await sleep(delay, options.signal);
      options.signal?.throwIfAborted();
      const text = typeof message.content === 'string' ? message.content : '';
      const chunk = new ChatGenerationChunk({ message, text });
      yield chunk;
      await runManager?.handleLLMNewToken(text, undefined, undefined, undefined, undefined, {
        chunk,
      });
    }
  }
}

/** The chunks of one reply, made one at a time so a long answer starts streaming at once. */
function* replyChunks(
  reply: ScriptedReply,
  id: string,
  tokenize: (text: string) => string[],
): Generator<AIMessageChunk> {
  let count = 0;
  for (const token of tokenize(reply.text ?? '')) {
    count++;
    yield new AIMessageChunk({ id, content: token });
  }
  for (const [index, call] of (reply.toolCalls ?? []).entries()) {
    const args = JSON.stringify(call.args ?? {});
    const half = Math.ceil(args.length / 2);
    const callId = call.id ?? `call_${id}_${index}`;
    count += 2;
    yield new AIMessageChunk({
      id,
      content: '',
      tool_call_chunks: [
        { id: callId, name: call.name, args: args.slice(0, half), index, type: 'tool_call_chunk' },
      ],
    });
    yield new AIMessageChunk({
      id,
      content: '',
      tool_call_chunks: [{ args: args.slice(half), index, type: 'tool_call_chunk' }],
    });
  }
  const usage = usageOf(reply);
  // LangChain rejects a stream with no chunk at all as an empty response
  if (usage || count === 0) yield new AIMessageChunk({ id, content: '', usage_metadata: usage });
}

function usageOf(reply: ScriptedReply) {
  return reply.usage
    ? {
        input_tokens: reply.usage.input,
        output_tokens: reply.usage.output,
        total_tokens: reply.usage.input + reply.usage.output,
      }
    : undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms);
    function done() {
      signal?.removeEventListener('abort', abort);
      resolve();
    }
    function abort() {
      clearTimeout(timer);
      reject(signal?.reason);
    }
    signal?.addEventListener('abort', abort, { once: true });
  });
}
