/**
 * What a failed graph run becomes: an error that names the node and the fix, retryable only
 * while nothing was said (repeating speech is worse than failing).
 */
import { APIConnectionError } from '@livekit/agents';
import { INTERRUPT_NEEDS_CHECKPOINTER } from './interrupts.js';

/** A failed graph run, before it is handed to agents-js. */
export class GraphRunError extends Error {
  override readonly name = 'GraphRunError';
  constructor(
    message: string,
    readonly retryable: boolean,
    options: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** Names the node that raised `error` when LangGraph tells it; retryable only while nothing was put. */
export function graphError(
  error: unknown,
  tasks: Map<string, string>,
  nothingPut: boolean,
): GraphRunError {
  const cause = error instanceof Error ? error : new Error(String(error));
  const taskId = (cause as { pregelTaskId?: unknown }).pregelTaskId;
  const node = typeof taskId === 'string' ? tasks.get(taskId) : undefined;
  const where = node === undefined ? '' : ` in node "${node}"`;
  if (cause.name === 'GraphValueError' && cause.message.startsWith('No checkpointer set')) {
    // LangGraph's message names neither the adapter's input mode nor the checkpointers to pick
    const message = `${INTERRUPT_NEEDS_CHECKPOINTER}${node ? ` (node "${node}")` : ''}`;
    return new GraphRunError(message, false, { cause });
  }
  return new GraphRunError(
    `LangGraph run failed${where}: ${cause.name}: ${cause.message}`,
    nothingPut && !isDeterministic(cause),
    { cause },
  );
}

/** The error agents-js gets: never retryable, since the retries were done here. */
export function finalError(error: unknown, attempts: number): APIConnectionError {
  const message = error instanceof Error ? error.message : String(error);
  const mapped = new APIConnectionError({
    message: attempts > 1 ? `${message} (after ${attempts} attempts)` : message,
    options: { retryable: false },
  });
  mapped.cause = error instanceof GraphRunError ? error.cause : error;
  return mapped;
}

/** LangGraph errors that a retry cannot fix (a recursion limit, a malformed update). */
function isDeterministic(error: Error): boolean {
  return [
    'GraphRecursionError',
    'InvalidUpdateError',
    'EmptyInputError',
    'GraphValueError',
    'MultipleSubgraphsError',
    'UnreachableNodeError',
  ].includes(error.name);
}
