/**
 * The graph's tokens, delivered inline. LangGraph.js 1.7 makes the `messages` stream mode out of
 * LangChain callbacks (its `StreamMessagesHandler`), and LangChain runs callbacks in one background
 * queue per process unless `LANGCHAIN_CALLBACKS_BACKGROUND=false`: a slow handler of anyone's,
 * parallel model calls or other runs keep the queue behind, the graph closes its stream without
 * waiting for it, and a whole answer is lost — a silent turn, with no error. The callbacks given
 * here make LangGraph's own token handler inline (it only pushes to the run's stream), and leave
 * every other handler as it was. LangGraph made its newer stream-protocol handler inline for the
 * same reason (https://github.com/langchain-ai/langgraphjs/pull/2537); the handler of
 * `streamMode: 'messages'` is still dispatched in the background as of 2026-12, no upstream issue
 * (https://github.com/langchain-ai/langgraphjs/blob/f8bdf16d4fe23a79e945ea5dc6f86bbf09abb77d/libs/langgraph-core/src/pregel/messages.ts#L56).
 */
import type { BaseCallbackHandler } from '@langchain/core/callbacks/base';
import { CallbackManager, type Callbacks, ensureHandler } from '@langchain/core/callbacks/manager';

/** The name of LangGraph's handler that turns model callbacks into `messages` stream parts. */
const MESSAGES_HANDLER = 'StreamMessagesHandler';

/**
 * A callback manager that marks LangGraph's token handler inline when LangGraph adds it (to a copy
 * of the run's callbacks: `copy()` keeps the class).
 */
class InlineTokenCallbacks extends CallbackManager {
  override addHandler(handler: BaseCallbackHandler, inherit = true): void {
    if (handler.name === MESSAGES_HANDLER) handler.awaitHandlers = true;
    super.addHandler(handler, inherit);
  }

  override copy(additionalHandlers: BaseCallbackHandler[] = [], inherit = true): CallbackManager {
    return InlineTokenCallbacks.of(super.copy(additionalHandlers, inherit));
  }

  /** `manager`'s handlers, tags and metadata, in an {@link InlineTokenCallbacks}. */
  static of(manager: CallbackManager): InlineTokenCallbacks {
    return new InlineTokenCallbacks(manager._parentRunId, {
      handlers: [...manager.handlers],
      inheritableHandlers: [...manager.inheritableHandlers],
      tags: [...manager.tags],
      inheritableTags: [...manager.inheritableTags],
      metadata: { ...manager.metadata },
      inheritableMetadata: { ...manager.inheritableMetadata },
    });
  }
}

/**
 * The run's `callbacks` (an array of handlers, a `CallbackManager`, or none) as a manager that
 * has LangGraph deliver the run's tokens inline, whatever `LANGCHAIN_CALLBACKS_BACKGROUND` says.
 * Anything else is returned as given, for LangGraph to refuse.
 */
export function inlineTokens(callbacks: unknown): unknown {
  if (callbacks instanceof CallbackManager) return InlineTokenCallbacks.of(callbacks);
  if (callbacks !== undefined && !Array.isArray(callbacks)) return callbacks;
  const manager = new InlineTokenCallbacks();
  const handlers: Extract<Callbacks, unknown[]> = callbacks ?? [];
  for (const handler of handlers) manager.addHandler(ensureHandler(handler), true);
  return manager;
}
