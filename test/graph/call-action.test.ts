import { describe, expect, it } from 'vitest';
import { callTriggerOf } from '../../src/graph/call-action.js';

describe('callTriggerOf', () => {
  it.each([
    ['signal', 'signal'],
    ['tool', 'tool'],
    ['node', 'node'],
    ['other', undefined],
    [3, undefined],
  ])('%s → %s', (value, expected) => {
    expect(callTriggerOf(value)).toBe(expected);
  });
});
