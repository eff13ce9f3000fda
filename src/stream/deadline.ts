/**
 * The deadlines of a turn's output: on a phone line, silence is the worst failure, so a graph
 * that says nothing and asks for nothing within the first deadline, or goes quiet for longer
 * than the gap deadline after it began to speak, is stopped, and the turn fails.
 */

/** What both deadlines share: a signal that aborts when the deadline passes, and its length. */
abstract class TurnDeadline {
  readonly #controller = new AbortController();
  readonly #ms: number;
  /** The clock the deadlines read, in ms (tests pass the fake timers' clock; the timers are `setTimeout`s). */
  protected readonly now: () => number;

  /**
   * @param ms the deadline; 0 turns it off
   * @param now the clock, `performance.now()` by default
   */
  constructor(ms: number, now: () => number = () => performance.now()) {
    this.#ms = ms;
    this.now = now;
  }

  /** Aborts when the deadline passed. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** The deadline, in ms (0: none). */
  get ms(): number {
    return this.#ms;
  }

  /** Whether the deadline passed. */
  get expired(): boolean {
    return this.#controller.signal.aborted;
  }

  /** Aborts the signal with `reason`: the deadline passed. */
  protected expire(reason: Error): void {
    this.#controller.abort(reason);
  }
}

/**
 * Aborts {@link signal} when `ms` pass after {@link start} without {@link hasOutput} — the whole
 * turn, retries included, gets one deadline.
 */
export class FirstOutputDeadline extends TurnDeadline {
  readonly #hasOutput: () => boolean;
  #timer: NodeJS.Timeout | undefined;
  #startedAt: number | undefined;

  /**
   * @param ms the deadline; 0 turns it off
   * @param hasOutput whether the turn put anything the caller hears or that acts
   * @param now the clock (tests pass the fake timers' clock)
   */
  constructor(ms: number, hasOutput: () => boolean, now?: () => number) {
    super(ms, now);
    this.#hasOutput = hasOutput;
  }

  /** How long is left, in ms (`Infinity` without a deadline or before it started). */
  remainingMs(): number {
    if (this.ms <= 0 || this.#startedAt === undefined) return Number.POSITIVE_INFINITY;
    return Math.max(0, this.#startedAt + this.ms - this.now());
  }

  /** Starts the clock (once): when the graph run starts, after any hold. */
  start(): void {
    if (this.ms <= 0 || this.#startedAt !== undefined) return;
    this.#startedAt = this.now();
    this.#timer = setTimeout(() => {
      if (!this.#hasOutput()) this.expire(new FirstOutputTimeoutError(this.ms));
    }, this.ms);
    // a pending deadline must not keep a worker process alive
    this.#timer.unref();
  }

  /** Stops the clock (the turn ended). */
  stop(): void {
    clearTimeout(this.#timer);
  }
}

/**
 * Aborts {@link signal} when a turn that has said something then goes `ms` without saying (or
 * asking for) anything more: "Let me check that." followed by a graph that hangs. The clock
 * restarts with every output; a turn that asked to end the call is let be (its last words are
 * said, and what it does after them is not heard).
 */
export class OutputGapDeadline extends TurnDeadline {
  readonly #lastOutputAt: () => number | undefined;
  readonly #ending: () => boolean;
  #timer: NodeJS.Timeout | undefined;

  /**
   * @param ms the longest gap; 0 turns it off
   * @param lastOutputAt the clock's time of the turn's last output; `undefined` before the first
   * @param ending whether the turn asked to end the call
   */
  constructor(
    ms: number,
    lastOutputAt: () => number | undefined,
    ending: () => boolean,
    now?: () => number,
  ) {
    super(ms, now);
    this.#lastOutputAt = lastOutputAt;
    this.#ending = ending;
  }

  /** Starts watching (once): when the graph run starts. */
  start(): void {
    if (this.ms > 0 && this.#timer === undefined) this.#arm(this.ms);
  }

  /** Stops watching (the turn ended). */
  stop(): void {
    clearTimeout(this.#timer);
  }

  // one timer per gap, not per output: it is re-armed for what is left of the gap when it fires
  #arm(ms: number): void {
    this.#timer = setTimeout(() => this.#check(), ms);
    this.#timer.unref();
  }

  #check(): void {
    if (this.#ending()) return;
    const last = this.#lastOutputAt();
    // before the first output, the first-output deadline is the one that counts
    const idle = last === undefined ? 0 : this.now() - last;
    if (last !== undefined && idle >= this.ms) {
      this.expire(new OutputGapTimeoutError(this.ms));
      return;
    }
    this.#arm(Math.max(1, this.ms - idle));
  }
}

/** Why a turn that said nothing in time was stopped. */
export class FirstOutputTimeoutError extends Error {
  override readonly name = 'FirstOutputTimeoutError';
  constructor(readonly ms: number) {
    super(`said nothing within ${ms} ms`);
  }
}

/** Why a turn that began to speak and then went quiet for too long was stopped. */
export class OutputGapTimeoutError extends Error {
  override readonly name = 'OutputGapTimeoutError';
  constructor(readonly ms: number) {
    super(`went quiet for ${ms} ms`);
  }
}
