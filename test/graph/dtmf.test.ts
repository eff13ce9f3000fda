import { describe, expect, it } from 'vitest';
import { customWritesOf as customOf } from '../../fixtures/graphs.js';
import { dtmfProblem, isDtmfSignal, parseDtmf } from '../../src/graph/dtmf.js';
import { isDtmfInput, SEND_DTMF, sendDtmf, sendDtmfTool } from '../../src/index.js';

describe('parseDtmf / dtmfProblem', () => {
  it.each([
    ['1234#', '1234#', []],
    ['*0 12-34.5', '*012345', []],
    ['abcd', 'ABCD', []],
    ['12x4y#x', '124#', ['x', 'y']],
    ['', '', []],
  ])('%j → %j, not keys %j', (text, digits, invalid) => {
    expect(parseDtmf(text)).toEqual({ digits, invalid });
  });

  it.each([
    ['1#', undefined],
    ['12E', '"E" is not a phone key: only 0-9, *, # and A-D can be pressed, so no key was pressed'],
    [
      '1+2E',
      '"+", "E" are not phone keys: only 0-9, *, # and A-D can be pressed, so no key was pressed',
    ],
    [' - ', 'no keys were given, so no key was pressed'],
    ['1'.repeat(32), undefined],
    [
      '1'.repeat(100),
      '100 keys are more than one press may send (at most 32), so no key was pressed',
    ],
  ])('%j: %s', (text, problem) => {
    expect(dtmfProblem(text)).toBe(problem);
  });
});

describe('sendDtmf', () => {
  it('writes the keys, as keys, to the custom stream, once per call', async () => {
    const custom = await customOf((config) => {
      sendDtmf(config, '1');
      sendDtmf(config, '555 0100#');
    });
    expect(custom).toEqual([
      { type: 'dtmf', digits: '1' },
      { type: 'dtmf', digits: '5550100#' },
    ]);
  });

  it('throws on anything but keys, naming them', () => {
    expect(() => sendDtmf(undefined, '12+')).toThrow(
      'sendDtmf: "+" is not a phone key: only 0-9, *, # and A-D can be pressed, so no key was pressed (got "12+")',
    );
  });

  it('does nothing outside a streamed run', () => {
    expect(() => sendDtmf(undefined, '1')).not.toThrow();
    expect(() => sendDtmf({}, '1')).not.toThrow();
  });
});

describe('isDtmfSignal', () => {
  it.each([
    [{ type: 'dtmf', digits: '1' }, true],
    [{ type: 'dtmf' }, true],
    ['dtmf', false],
    [{ type: 'end' }, false],
    [null, false],
  ])('%j → %s', (value, expected) => {
    expect(isDtmfSignal(value)).toBe(expected);
  });
});

describe('sendDtmfTool', () => {
  it('is a tool named send_dtmf taking digits, which tells the model to wait', async () => {
    expect(sendDtmfTool.name).toBe(SEND_DTMF);
    expect(sendDtmfTool.description).toMatch(/Do not say the keys aloud/);
    await expect(sendDtmfTool.invoke({ digits: '2#' })).resolves.toBe(
      'The keys 2# are pressed once your words before them have played. Say nothing more now: wait for the other side to answer.',
    );
  });

  it('answers invalid keys with what is wrong, so the model can correct itself', async () => {
    await expect(sendDtmfTool.invoke({ digits: 'two' })).resolves.toBe(
      'Error: "t", "w", "o" are not phone keys: only 0-9, *, # and A-D can be pressed, so no key was pressed.',
    );
  });
});

describe('isDtmfInput', () => {
  it.each([
    [{ content: '12', additional_kwargs: { dtmf: true } }, true],
    [{ type: 'human', content: '12', additional_kwargs: { dtmf: true } }, true],
    [{ content: '12', additional_kwargs: {} }, false],
    [{ content: '12' }, false],
    ['12', false],
  ])('%j → %s', (message, expected) => {
    expect(isDtmfInput(message)).toBe(expected);
  });
});
