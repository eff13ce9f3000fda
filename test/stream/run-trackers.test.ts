import { describe, expect, it } from 'vitest';
import { trackCheckpoint, trackTask } from '../../src/stream/run-trackers.js';

describe('trackTask', () => {
  it('knows the nodes running now, and keeps a failed one named', () => {
    const tasks = new Map<string, string>();
    trackTask(['tasks', { id: 't1', name: 'agent', input: {} }], tasks);
    trackTask(['tasks', { id: 't2', name: 'lookup', input: {} }], tasks);
    trackTask(['tasks', { id: 't1', name: 'agent', result: [] }], tasks);
    trackTask(['tasks', { id: 't2', name: 'lookup', error: 'boom' }], tasks);
    trackTask(['messages', [{}, {}]], tasks);
    expect([...tasks]).toEqual([['t2', 'lookup']]);
  });
});

describe('trackCheckpoint', () => {
  it("reports the root graph's checkpoints with their parent and messages, locally and remotely", () => {
    const seen: unknown[] = [];
    const thread = { checkpoint: (...args: unknown[]) => void seen.push(args) };
    trackCheckpoint(
      [
        'checkpoints',
        {
          config: { configurable: { checkpoint_id: 'c2' } },
          parentConfig: { configurable: { checkpoint_id: 'c1' } },
          values: { messages: ['m'] },
        },
      ],
      thread,
    );
    trackCheckpoint(
      [
        [],
        'checkpoints',
        {
          config: { configurable: { checkpoint_id: 'c3' } },
          parent_config: { configurable: { checkpoint_id: 'c2' } },
          values: {},
        },
      ],
      thread,
    );
    // a subgraph's checkpoints are not the thread's
    trackCheckpoint(
      [['inner:1'], 'checkpoints', { config: { configurable: { checkpoint_id: 'x' } } }],
      thread,
    );
    expect(seen).toEqual([
      ['c2', 'c1', { messages: ['m'] }],
      ['c3', 'c2', { messages: undefined }],
    ]);
  });
});
