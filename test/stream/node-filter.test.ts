import { describe, expect, it } from 'vitest';
import { endCallNodeOf, type PartFilter, speaks } from '../../src/stream/node-filter.js';

describe('node filter', () => {
  const filter: PartFilter = { nodes: new Set(['respond']), endCallNodes: new Set(['hangup']) };

  it.each([
    [
      'every node, when no list is given',
      { endCallNodes: new Set<string>() },
      { langgraph_node: 'x' },
      true,
    ],
    ['a listed node', filter, { langgraph_node: 'respond' }, true],
    ['an unlisted node', filter, { langgraph_node: 'router' }, false],
    [
      'a subgraph run by a listed node',
      filter,
      { langgraph_node: 'inner', langgraph_checkpoint_ns: 'respond:1|inner:2' },
      true,
    ],
    [
      'a subgraph run by an unlisted node',
      filter,
      { langgraph_node: 'inner', langgraph_checkpoint_ns: 'router:1|inner:2' },
      false,
    ],
  ])('speaks from %s', (_name, given, meta, expected) => {
    expect(speaks(given, meta)).toBe(expected);
  });

  it('finds end-call nodes by name or by their metadata', () => {
    expect(endCallNodeOf(filter, { langgraph_node: 'hangup' })).toBe('hangup');
    expect(endCallNodeOf(filter, { langgraph_node: 'bye', end_call: true })).toBe('bye');
    expect(endCallNodeOf(filter, { langgraph_node: 'respond' })).toBeUndefined();
    expect(endCallNodeOf(filter, {})).toBeUndefined();
  });
});
