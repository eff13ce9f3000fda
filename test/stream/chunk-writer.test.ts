import { llm } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { ChunkWriter } from '../../src/stream/chunk-writer.js';

/** A writer into an array, and the text it put. */
function writer(signal = new AbortController().signal) {
  const chunks: llm.ChatChunk[] = [];
  const w = new ChunkWriter({ put: (chunk) => void chunks.push(chunk) }, 'run-1', signal);
  const text = () => chunks.map((chunk) => chunk.delta?.content ?? '').join('');
  return { w, chunks, text };
}

describe('ChunkWriter', () => {
  it('puts the first text at once and merges the rest until flushed', () => {
    const { w, chunks, text } = writer();
    w.text('Hel', 'm1');
    expect(chunks).toHaveLength(1);
    w.text('lo', 'm1');
    w.text(' there.', 'm1');
    expect(chunks).toHaveLength(1);
    w.finish();
    expect(chunks).toHaveLength(2);
    expect(text()).toBe('Hello there.');
  });

  it('joins custom writes exactly and spaces the sources that would run together', () => {
    const { w, text } = writer();
    w.custom('One');
    w.custom(' moment.');
    w.text('It shipped.', 'm1');
    w.prompt('Anything else?');
    w.finish();
    expect(text()).toBe('One moment. It shipped. Anything else?');
    expect(w.spoken).toEqual([
      { messageId: undefined, text: 'One' },
      { messageId: undefined, text: ' moment.' },
      { messageId: 'm1', text: ' It shipped.' },
      { messageId: undefined, text: ' Anything else?' },
    ]);
  });

  it('puts a function call after the text before it, and the summed usage last', () => {
    const { w, chunks } = writer();
    w.text('Bye', 'm1');
    w.text('!', 'm1');
    w.usage({
      inputTokens: 3,
      outputTokens: 2,
      totalTokens: 5,
      cachedInputTokens: 1,
      cacheCreationTokens: 0,
    });
    w.usage({
      inputTokens: 4,
      outputTokens: 1,
      totalTokens: 5,
      cachedInputTokens: 0,
      cacheCreationTokens: 2,
    });
    w.toolCall(llm.FunctionCall.create({ callId: 'c', name: 'end_call', args: '{}' }));
    w.finish();
    expect(chunks.map((c) => c.delta?.content ?? c.delta?.toolCalls?.[0]?.name ?? c.usage)).toEqual(
      [
        'Bye',
        '!',
        'end_call',
        {
          promptTokens: 7,
          completionTokens: 3,
          totalTokens: 10,
          promptCachedTokens: 1,
          cacheCreationTokens: 2,
        },
      ],
    );
  });

  it('puts nothing once the stream is aborted or closed', () => {
    const abort = new AbortController();
    const { w, chunks } = writer(abort.signal);
    w.text('Hello', 'm1');
    abort.abort();
    w.text(' there', 'm1');
    w.finish();
    expect(chunks).toHaveLength(1);
    const closed = writer();
    closed.w.close();
    closed.w.text('Hi', 'm1');
    expect(closed.chunks).toEqual([]);
  });
});
