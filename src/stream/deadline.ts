/**
 * The deadline of a turn's first output: on a phone line, silence is the worst failure, so a
 * graph that says nothing and asks for nothing within it is stopped, and the turn fails.
 */

/**
 * Aborts {@link signal} when `ms` pass after {@link start} without {@link hasOutput} — the whole
 * turn, retries included, gets one deadline.
 */
export class FirstOutputDeadline {
  readonly #controller = new AbortController();
  readonly #ms: number;
  readonly #hasOutput: () => boolean;
  readonly #now: () => number;
  #timer: NodeJS.Timeout | undefined;
  #startedAt: number | undefined;

  /**
   * @param ms the deadline; 0 turns it off
   * @param hasOutput whether the turn put anything the caller hears or that acts
   * @param now the clock `remainingMs()` reads, in ms (tests pass the fake timers' clock); the
   * deadline itself is a `setTimeout`
   */
  constructor(ms: number, hasOutput: () => boolean, now: () => number = () => performance.now()) {
    this.#ms = ms;
    this.#hasOutput = hasOutput;
    this.#now = now;
  }

  /** Aborts when the deadline passed with nothing said. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The deadline, in ms (0: none). */
  get ms(): number {
    return this.#ms;
  }

  /** Whether the deadline passed with nothing said. */
  get expired(): boolean {
    return this.#controller.signal.aborted;
  }

  /** How long is left, in ms (`Infinity` without a deadline or before it started). */
  remainingMs(): number {
    if (this.#ms <= 0 || this.#startedAt === undefined) return Number.POSITIVE_INFINITY;
    return Math.max(0, this.#startedAt + this.#ms - this.#now());
  }

  /** Starts the clock (once): when the graph run starts, after any hold. */
  start(): void {
    if (this.#ms <= 0 || this.#startedAt !== undefined) return;
    this.#startedAt = this.#now();
    this.#timer = setTimeout(() => {
      if (!this.#hasOutput()) this.#controller.abort(new FirstOutputTimeoutError(this.#ms));
    }, this.#ms);
    // a pending deadline must not keep a worker process alive
    this.#timer.unref();
  }

  /** Stops the clock (the turn ended). */
  stop(): void {
    clearTimeout(this.#timer);
  }
}

/** Why a turn that said nothing in time was stopped. */
export class FirstOutputTimeoutError extends Error {
  override readonly name = 'FirstOutputTimeoutError';
  constructor(readonly ms: number) {
    super(`said nothing within ${ms} ms`);
  }
}
