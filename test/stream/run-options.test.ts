import { describe, expect, it } from 'vitest';
import {
  forkedFrom,
  type GraphRunOptions,
  LATEST_STREAM_MODES,
  STREAM_MODES,
} from '../../src/stream/run-options.js';

describe('run options', () => {
  const options: GraphRunOptions = {
    configurable: { thread_id: 't', user_id: 'u' },
    streamMode: STREAM_MODES,
    subgraphs: false,
    tags: ['a'],
  };

  it('forks from a checkpoint of the root graph, keeping the rest', () => {
    expect(forkedFrom(options, 'cp-1')).toEqual({
      ...options,
      configurable: { thread_id: 't', user_id: 'u', checkpoint_ns: '', checkpoint_id: 'cp-1' },
    });
    expect(options.configurable).toEqual({ thread_id: 't', user_id: 'u' });
  });

  it('runs on the head when there is no checkpoint to fork from', () => {
    expect(forkedFrom(options, undefined)).toBe(options);
  });

  it("follows checkpoints only for input: 'latest'", () => {
    expect(STREAM_MODES).not.toContain('checkpoints');
    expect(LATEST_STREAM_MODES).toEqual([...STREAM_MODES, 'checkpoints']);
  });
});
