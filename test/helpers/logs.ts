/**
 * What agents-js logged during a test: setup.ts routes its pino output through `console.warn`,
 * so a spy on it sees every log line (warn and above) as the JSON pino wrote.
 */
import { type MockInstance, vi } from 'vitest';

/** A JWT (three base64url parts, the first an encoded JSON object). */
export const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/;

export interface CapturedLogs {
  /** Every line logged since {@link captureLogs}, parsed. */
  records(): Record<string, unknown>[];
  /** Every line logged since {@link captureLogs}, as written. */
  text(): string;
  /** Stops capturing; the lines still reach the console. */
  restore(): void;
}

/** Starts capturing what agents-js logs. */
export function captureLogs(): CapturedLogs {
  const spy: MockInstance<typeof console.warn> = vi.spyOn(console, 'warn');
  const lines = () => spy.mock.calls.map((args) => args.map(String).join(' '));
  return {
    records: () =>
      lines().flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          // not a pino line (a test's own console.warn): not a log record
          return [];
        }
      }),
    text: () => lines().join('\n'),
    restore: () => spy.mockRestore(),
  };
}
