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

/** The end of `kind` under way (or done) for `session`: resolves to whether it ended the call. */
export function callEnding(session: object, kind: CallEndKind): Promise<boolean> | undefined {
  return endings.get(session)?.get(kind);
}
