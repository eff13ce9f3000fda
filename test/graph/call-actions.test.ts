import { describe, expect, it } from 'vitest';
import {
  CALL_ACTIONS,
  callActionKind,
  endingReason,
  signalKind,
} from '../../src/graph/call-actions.js';
import { SEND_DTMF, sendDtmfTool } from '../../src/graph/dtmf.js';
import { END_CALL, endCallTool } from '../../src/graph/end-call.js';
import { TRANSFER_CALL, transferCallTool } from '../../src/graph/transfer.js';

describe('the call action registry', () => {
  it('names each action as its graph-side tool is named, once', () => {
    expect(CALL_ACTIONS.map((kind) => kind.name)).toEqual([END_CALL, TRANSFER_CALL, SEND_DTMF]);
    expect([endCallTool.name, transferCallTool.name, sendDtmfTool.name]).toEqual([
      END_CALL,
      TRANSFER_CALL,
      SEND_DTMF,
    ]);
  });

  it.each([
    [END_CALL, END_CALL],
    [TRANSFER_CALL, TRANSFER_CALL],
    [SEND_DTMF, SEND_DTMF],
    ['lookup_order', undefined],
  ])('finds the action of tool %s', (name, expected) => {
    expect(callActionKind(name)?.name).toBe(expected);
  });

  it.each([
    ['end', END_CALL],
    [{ type: 'end', reason: 'bye' }, END_CALL],
    [{ type: 'transfer', to: 'billing' }, TRANSFER_CALL],
    [{ type: 'dtmf', digits: '1' }, SEND_DTMF],
    ['Please hold.', undefined],
    [{ type: 'progress' }, undefined],
  ])('tells which action the custom-stream value %j asks for', (value, expected) => {
    expect(signalKind(value)?.name).toBe(expected);
  });

  it.each([
    [{ name: END_CALL, trigger: 'tool', reason: 'bye' } as const, 'bye'],
    [{ name: TRANSFER_CALL, trigger: 'signal', to: 'billing' } as const, 'transfer to billing'],
    [{ name: TRANSFER_CALL, trigger: 'tool', to: 'billing', reason: 'refund' } as const, 'refund'],
    [{ name: SEND_DTMF, trigger: 'tool', digits: '1' } as const, undefined],
  ])('gives the reason an action ends the call with: %j', (action, expected) => {
    expect(endingReason(action)).toBe(expected);
  });
});
