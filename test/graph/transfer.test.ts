import { describe, expect, it } from 'vitest';
import { customWritesOf } from '../../fixtures/graphs.js';
import { isTransferSignal } from '../../src/graph/transfer.js';
import { TRANSFER_CALL, transferCall, transferCallTool } from '../../src/index.js';

describe('transferCall', () => {
  it.each([
    [
      { to: 'billing', reason: 'disputed charge' },
      { type: 'transfer', to: 'billing', reason: 'disputed charge' },
    ],
    [{ to: 'support' }, { type: 'transfer', to: 'support' }],
  ])('writes %j to the custom stream as %j', async (options, expected) => {
    expect(await customWritesOf((config) => transferCall(config, options))).toEqual([expected]);
  });

  it('does nothing outside a streamed run', () => {
    expect(() => transferCall(undefined, { to: 'billing' })).not.toThrow();
  });
});

describe('isTransferSignal', () => {
  it.each([
    [{ type: 'transfer', to: 'billing' }, true],
    ['transfer', false],
    [{ type: 'end' }, false],
    [undefined, false],
  ])('%j → %s', (value, expected) => {
    expect(isTransferSignal(value)).toBe(expected);
  });
});

describe('transferCallTool', () => {
  it('is a tool named transfer_call that tells the model to speak first and to use a listed name', async () => {
    expect(transferCallTool.name).toBe(TRANSFER_CALL);
    expect(transferCallTool.description).toMatch(/I'm connecting you to billing now/);
    expect(transferCallTool.description).toMatch(
      /one of the destination names your instructions list/,
    );
    await expect(transferCallTool.invoke({ to: 'billing', reason: 'refund' })).resolves.toBe(
      'Transferring the caller to billing (refund). Do not say anything else; if the transfer fails you will be told why.',
    );
  });
});
