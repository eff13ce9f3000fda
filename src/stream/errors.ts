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
    nothingPut && isTransientRunError(cause),
    { cause },
  );
}

/** A turn stopped at its first-output deadline: never retried, the deadline covers the turn. */
export function deadlineError(ms: number, running: string | undefined): GraphRunError {
  return silenceError(
    `said nothing within ${ms} ms${where(running)} — a graph that needs longer should say ` +
      'something first ("One moment, let me check."), or raise `firstOutputTimeoutMs`',
  );
}

/** A turn stopped when it went quiet after it began to speak: never retried (it already spoke). */
export function gapError(ms: number, running: string | undefined): GraphRunError {
  return silenceError(
    `went silent for ${ms} ms after it began to speak${where(running)} — a graph that needs ` +
      'longer should say something again before the gap ends ("Still checking, one more ' +
      'moment."), or raise `outputGapTimeoutMs`',
  );
}

const where = (running: string | undefined) =>
  running === undefined ? '' : ` (node "${running}" was still running)`;

function silenceError(what: string): GraphRunError {
  return new GraphRunError(`LangGraph run ${what}`, false, {});
}

/** Network error codes of Node and undici: the server was not reached, or the connection broke. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/**
 * Whether running the turn again can fix `error`: it says so itself (`retryable: true | false`, which your own
 * errors may set), or it is a network failure, a timeout, or an HTTP 408 / 429 / 5xx from a model
 * or a server (also as its `cause`). Anything else — a bug, "database is down" from your own
 * code, a recursion limit — fails the turn at once instead of costing the caller more silence.
 * The rule is that of the LiveKit API's retries (`isTransientApiError` in src/call/); this reader
 * knows more shapes because a run's error can come from any code (nodes, models, LangGraph Server).
 */
export function isTransientRunError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 3) return false;
  const fields = error as {
    retryable?: unknown;
    status?: unknown;
    statusCode?: unknown;
    response?: { status?: unknown };
    code?: unknown;
    name?: unknown;
    message?: unknown;
    lc_error_code?: unknown;
    cause?: unknown;
  };
  if (typeof fields.retryable === 'boolean') return fields.retryable;
  if (error instanceof Error && isDeterministic(error)) return false;
  const status = [fields.status, fields.statusCode, fields.response?.status].find(
    (value) => typeof value === 'number',
  ) as number | undefined;
  if (status !== undefined) return status === 408 || status === 429 || status >= 500;
  if (typeof fields.code === 'string' && NETWORK_CODES.has(fields.code)) return true;
  if (fields.lc_error_code === 'MODEL_RATE_LIMIT') return true;
  if (fields.name === 'TimeoutError' || fields.name === 'ConnectTimeoutError') return true;
  // fetch reports an unreachable server as "TypeError: fetch failed", a cut stream as "terminated"
  if (error instanceof TypeError && /^(fetch failed|terminated)$/.test(String(fields.message))) {
    return true;
  }
  return isTransientRunError(fields.cause, depth + 1);
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
