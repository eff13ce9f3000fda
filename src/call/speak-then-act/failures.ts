/**
 * How a call-control request (ending, transferring, pressing keys) fails: within a deadline that
 * covers all its attempts, and logged as a message and its cause rather than as an error object.
 */

/** Why {@link withDeadline} gave up: the deadline passed before the action settled. */
export class ActionTimeoutError extends Error {
  override readonly name = 'ActionTimeoutError';
}

/** What {@link withDeadline} needs besides the action. */
export interface DeadlineOptions {
  /** The deadline, in ms from the call. */
  timeoutMs: number;
  /** Also stops the action (a cancelled hangup); its reason is thrown. */
  signal?: AbortSignal | undefined;
  /** Who asks, for the error message: `'hangupTool'`, `'transferTool'`, … */
  owner: string;
  /** What was bounded, for the error message: `'the delete_room action'`. */
  what: string;
  /** The option that sets `timeoutMs`, named in the error message. */
  option: string;
}

/**
 * Runs `action` and settles as it does, or rejects with a {@link ActionTimeoutError} once `timeoutMs`
 * have passed — whatever the action is waiting for. The action gets a signal that aborts at the
 * deadline (and when `signal` aborts), so it starts no further attempt and its waits between
 * attempts end; a request already sent cannot be recalled (livekit-server-sdk's clients take no
 * signal), so the server may still carry it out after the deadline.
 *
 * @throws a {@link ActionTimeoutError} at the deadline, the reason of `signal` when it aborts first,
 * or what `action` throws.
 * @example
 * ```ts
 * await withDeadline((signal) => deleteRoom(owner, client, room, signal), {
 *   timeoutMs: 10_000,
 *   owner: 'hangupTool',
 *   what: 'the delete_room action',
 *   option: 'actionTimeoutMs',
 * });
 * ```
 */
export async function withDeadline<T>(
  action: (signal: AbortSignal) => Promise<T>,
  { timeoutMs, signal, owner, what, option }: DeadlineOptions,
): Promise<T> {
  signal?.throwIfAborted();
  const deadline = new AbortController();
  const timer = setTimeout(() => {
    const message =
      `${owner}: ${what} did not finish within ${timeoutMs} ms (\`${option}\`) — check that ` +
      'the server it calls is reachable (LIVEKIT_URL for LiveKit); a request already sent ' +
      'cannot be recalled and may still take effect';
    deadline.abort(new ActionTimeoutError(message));
  }, timeoutMs);
  const joined = signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal;
  let onAbort = () => {};
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(joined.reason);
    joined.addEventListener('abort', onAbort, { once: true });
  });
  const running = action(joined);
  try {
    return await Promise.race([running, aborted]);
  } finally {
    clearTimeout(timer);
    joined.removeEventListener('abort', onAbort);
    // what the action still does after the deadline has no one waiting for it
    running.catch(() => {});
  }
}

/**
 * An error as log fields: its message and its cause's, not the object. An error object logs every
 * field it has — a DOMException's 25 constants, a client's request — and may carry what a log
 * must not (a request's headers).
 */
export function logFields(error: unknown): { error: string; cause?: string } {
  const message = messageOf(error);
  const cause = error instanceof Error ? error.cause : undefined;
  return cause === undefined ? { error: message } : { error: message, cause: messageOf(cause) };
}

/**
 * The message of `error`, or the string it is. A Twirp error from livekit-server-sdk may have an
 * empty message; its name, HTTP status and code say what happened then.
 */
export function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message) return error.message;
  const { status, code } = error as { status?: unknown; code?: unknown };
  return [error.name, status, code].filter((part) => part !== undefined && part !== '').join(' ');
}
