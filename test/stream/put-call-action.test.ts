import { llm } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { ChunkWriter } from '../../src/stream/chunk-writer.js';
import { putCallAction } from '../../src/stream/put-call-action.js';

function writer() {
  const chunks: llm.ChatChunk[] = [];
  const w = new ChunkWriter(
    { put: (c) => void chunks.push(c) },
    'run',
    new AbortController().signal,
  );
  const calls = () =>
    chunks.flatMap((c) => c.delta?.toolCalls ?? []).map((f) => [f.name, JSON.parse(f.args)]);
  return { w, calls };
}

describe('putCallAction', () => {
  it('puts an end of call as end_call, and says how the run ended the call', () => {
    const { w, calls } = writer();
    const end = putCallAction(
      { name: 'end_call', trigger: 'tool', reason: 'bye', toolCallId: 'c1' },
      w,
      undefined,
    );
    expect(calls()).toEqual([['end_call', { reason: 'bye', trigger: 'tool' }]]);
    expect(end).toEqual({
      callId: expect.stringMatching(/^end_call_/),
      name: 'end_call',
      reason: 'bye',
      toolCallId: 'c1',
    });
  });

  it('puts keys as send_dtmf, which ends nothing, and nothing for a dropped action', () => {
    const { w, calls } = writer();
    expect(putCallAction({ name: 'send_dtmf', trigger: 'tool', digits: '12#' }, w, undefined)).toBe(
      undefined,
    );
    const dropped = {
      name: 'end_call',
      trigger: 'signal',
      reason: 'again',
      dropped: true,
    } as const;
    expect(putCallAction(dropped, w, undefined)).toBeUndefined();
    expect(calls()).toEqual([['send_dtmf', { digits: '12#' }]]);
  });

  it('puts nothing for an action the agent has no tool for, and hands it to `unavailable`', () => {
    const { w, calls } = writer();
    const given: string[] = [];
    const action = { name: 'transfer_call', trigger: 'tool', to: 'billing' } as const;
    const tools = llm.toToolContext({});
    expect(putCallAction(action, w, tools, (a) => void given.push(a.name))).toBeUndefined();
    expect([calls(), given]).toEqual([[], ['transfer_call']]);
  });
});
