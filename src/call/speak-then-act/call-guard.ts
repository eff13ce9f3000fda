/**
 * One end of the call per session: a hangup and a transfer must not both act on the same call
 * (hanging up a caller who is being transferred, or transferring one being hung up). Keyed by
 * session, not by room name: a room name is reused by later calls (and by tests).
 */

/** What can end a session's call. */
export type CallEndKind = 'hangup' | 'transfer';

/** What a hangup reports when a transfer under way already moved the caller: it did nothing. */
export const SKIPPED_HANGUP = {
  action: 'none',
  playoutWaitMs: 0,
  drainMs: 0,
  interrupted: false,
  timedOut: false,
} as const;

/** Per session, the ends under way or done: each resolves to whether it ended the call. */
const endings = new WeakMap<object, Map<CallEndKind, Promise<boolean>>>();

/**
 * Records that `session`'s call is being ended by `kind`. An end that leaves the call up
 * (`ending` resolves to `false` or `undefined`, or rejects) is forgotten, so a later one may act.
 */
export function markCallEnding(session: object, kind: CallEndKind, ending: Promise<unknown>): void {
  // a rejection is the owner's to report; here it only means the call was not ended
  const ended = ending.then(
    (result) => result !== undefined && result !== false,
    () => false,
  );
  let kinds = endings.get(session);
  if (!kinds) {
    kinds = new Map();
    endings.set(session, kinds);
  }
  kinds.set(kind, ended);
  const forget = () => {
    if (kinds.get(kind) === ended) kinds.delete(kind);
  };
  void ended.then((done) => done || forget());
}

/** Whether an end of `kind` is under way for `session` (or done, and ended the call). */
export function endUnderWay(session: object, kind: CallEndKind): boolean {
  return endings.get(session)?.has(kind) ?? false;
}

/** Whether an end of `kind` ended `session`'s call, once it is done; `false` when there is none. */
export function endedCall(session: object, kind: CallEndKind): Promise<boolean> {
  return endings.get(session)?.get(kind) ?? Promise.resolve(false);
}
