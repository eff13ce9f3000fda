import { llm } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import {
  endCallActions,
  heardTranscript,
  latencyOf,
  percentiles,
  summedUsage,
} from '../../../src/call/report/report-contents.js';

const message = (
  role: 'user' | 'assistant' | 'system',
  content: string,
  extra: { interrupted?: boolean; metrics?: llm.MetricsReport; createdAt?: number } = {},
) => llm.ChatMessage.create({ role, content: [content], createdAt: 1000, ...extra });

const call = (args: string) =>
  llm.FunctionCall.create({ callId: 'c', name: 'end_call', args, createdAt: 2000 });

describe('heardTranscript', () => {
  it('keeps the caller and the agent, cut answers marked, in order', () => {
    const items = [
      message('system', 'be nice'),
      message('user', 'hi'),
      message('assistant', 'Hello, how', { interrupted: true }),
      call('{}'),
      message('assistant', ''),
      message('user', 'bye'),
    ];
    expect(heardTranscript(items)).toEqual([
      { role: 'user', text: 'hi', interrupted: false, at: 1000 },
      { role: 'assistant', text: 'Hello, how', interrupted: true, at: 1000 },
      { role: 'user', text: 'bye', interrupted: false, at: 1000 },
    ]);
  });
});

describe('endCallActions', () => {
  it.each([
    ['{"reason":"done","trigger":"node"}', { reason: 'done', trigger: 'node' }],
    ['{"reason":"done"}', { reason: 'done' }],
    ['{"reason":"done","trigger":"nodes"}', { reason: 'done' }],
    ['{"reason": "cut', {}],
    ['', {}],
  ])('reads %s', (args, expected) => {
    expect(endCallActions([call(args)], 'end_call')).toEqual([
      { name: 'end_call', at: 2000, ...expected },
    ]);
  });

  it('skips other function calls', () => {
    const other = llm.FunctionCall.create({ callId: 'x', name: 'lookup', args: '{}' });
    expect(endCallActions([other], 'end_call')).toEqual([]);
  });
});

describe('summedUsage', () => {
  it('sums the LLM entries only; missing fields count as 0', () => {
    expect(
      summedUsage([
        { type: 'llm_usage', inputTokens: 100, outputTokens: 10, inputCachedTokens: 40 },
        { type: 'llm_usage', inputTokens: 5 },
        { type: 'tts_usage', inputTokens: 999, outputTokens: 999 },
      ]),
    ).toEqual({ inputTokens: 105, cachedInputTokens: 40, outputTokens: 10, totalTokens: 115 });
  });

  it('is all zeros without usage', () => {
    expect(summedUsage([])).toEqual({
      inputTokens: 0,
      cachedInputTokens: 0,
      outputTokens: 0,
      totalTokens: 0,
    });
  });
});

describe('latencyOf', () => {
  it('reads llmNodeTtft and e2eLatency of the answers, in ms', () => {
    const items = [
      message('user', 'a', { metrics: { llmNodeTtft: 9 } }),
      message('assistant', 'x', { metrics: { llmNodeTtft: 0.1, e2eLatency: 0.8 } }),
      message('assistant', 'y', { metrics: { llmNodeTtft: 0.3 } }),
      message('assistant', 'z'),
    ];
    expect(latencyOf(items)).toEqual({
      turns: 2,
      firstTextMs: { p50: 100, p95: 300 },
      endToEndMs: { p50: 800, p95: 800 },
    });
  });

  it('has no percentiles without measurements', () => {
    expect(latencyOf([message('assistant', 'x')])).toEqual({ turns: 0 });
  });
});

describe('percentiles', () => {
  it.each([
    [[], undefined],
    [[5], { p50: 5, p95: 5 }],
    [[4, 1, 3, 2], { p50: 2, p95: 4 }],
    [Array.from({ length: 100 }, (_, i) => i + 1), { p50: 50, p95: 95 }],
    [[0.123456], { p50: 0.1, p95: 0.1 }],
  ])('%j → %j', (values, expected) => {
    expect(percentiles(values)).toEqual(expected);
  });
});
