/**
 * The demo's output: one line per event, stamped with the time since the call started, colored
 * by who acted when the terminal supports it.
 */
const COLORS = {
  caller: 36, // cyan
  agent: 32, // green
  tool: 33, // yellow
  end: 35, // magenta
  livekit: 34, // blue
  note: 90, // grey
} as const;

/** Who a timeline line is about. */
export type Actor = keyof typeof COLORS;

export class Timeline {
  readonly #startedAt = performance.now();
  readonly #color: boolean;
  readonly #write: (line: string) => void;

  constructor(options: { color: boolean; write?: (line: string) => void }) {
    this.#color = options.color;
    this.#write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
  }

  /** Seconds since the call started, as "+1.23s". */
  now(): string {
    return `+${((performance.now() - this.#startedAt) / 1000).toFixed(2)}s`;
  }

  /** Prints `text` for `actor` at the current time. */
  line(actor: Actor, text: string): void {
    const label = actor.padEnd(8);
    const stamp = this.now().padStart(7);
    this.#write(`${this.#paint(COLORS.note, stamp)}  ${this.#paint(COLORS[actor], label)} ${text}`);
  }

  /** Prints a line without a time stamp (headers, help). */
  plain(text: string): void {
    this.#write(text);
  }

  #paint(code: number, text: string): string {
    return this.#color ? `\u001b[${code}m${text}\u001b[0m` : text;
  }
}
