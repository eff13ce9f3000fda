import { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { CallbackManager } from '@langchain/core/callbacks/manager';
import { describe, expect, it } from 'vitest';
import { inlineTokens } from '../../src/stream/inline-tokens.js';

class Named extends BaseCallbackHandler {
  constructor(readonly name: string) {
    super();
  }
}

/** What LangGraph does with a run's callbacks manager when it streams `messages`. */
function addTokenHandler(callbacks: unknown): { manager: CallbackManager; tokens: Named } {
  const tokens = new Named('StreamMessagesHandler');
  const manager = (callbacks as CallbackManager).copy();
  manager.addHandler(tokens, true);
  return { manager, tokens };
}

describe('inlineTokens', () => {
  it("makes LangGraph's token handler inline, and leaves the run's own handlers as they were", () => {
    const tracer = new Named('tracer');
    const { manager, tokens } = addTokenHandler(inlineTokens([tracer]));
    expect(tokens.awaitHandlers).toBe(true);
    expect(tracer.awaitHandlers).toBe(false);
    expect(manager.handlers).toEqual([tracer, tokens]);
  });

  it('keeps the handlers, tags and metadata of a given manager, through copies', () => {
    const tracer = new Named('tracer');
    const given = new CallbackManager(undefined);
    given.addHandler(tracer, true);
    given.addTags(['call']);
    given.addMetadata({ room: 'r1' });
    const { manager, tokens } = addTokenHandler((inlineTokens(given) as CallbackManager).copy());
    expect(tokens.awaitHandlers).toBe(true);
    expect([manager.handlers, manager.tags, manager.metadata]).toEqual([
      [tracer, tokens],
      ['call'],
      { room: 'r1' },
    ]);
  });

  it('gives a manager for no callbacks, and hands anything else back for LangGraph to refuse', () => {
    const { tokens } = addTokenHandler(inlineTokens(undefined));
    expect(tokens.awaitHandlers).toBe(true);
    expect(inlineTokens('not callbacks')).toBe('not callbacks');
  });
});
