/**
 * What a lab job tells the test: the job (in an agents-js job process) appends events to a JSON
 * lines file named after its room; the test waits, bounded, for the event it needs.
 */
import { appendFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** One thing a job saw, with its wall-clock time (ms since the epoch). */
export interface JobEvent {
  type: string;
  at: number;
  [field: string]: unknown;
}

function journalFile(runDir: string, room: string): string {
  return join(runDir, 'jobs', `${room.replace(/[^\w-]/g, '_')}.jsonl`);
}

/** The writing end: records an event, timed now. */
export type JournalWriter = (event: Omit<JobEvent, 'at'>) => void;

/** The writing end, for the job. */
export function openJournal(runDir: string, room: string): JournalWriter {
  const file = journalFile(runDir, room);
  mkdirSync(join(runDir, 'jobs'), { recursive: true });
  return (event) =>
    appendFileSync(
      file,
      `${JSON.stringify({ ...event, at: performance.timeOrigin + performance.now() })}\n`,
    );
}

/** Everything the job of `room` wrote so far. */
export function readJournal(runDir: string, room: string): JobEvent[] {
  try {
    return readFileSync(journalFile(runDir, room), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as JobEvent);
  } catch {
    return [];
  }
}

/**
 * Waits until the job of `room` wrote its `nth` event of `type` (the first by default); fails
 * after `timeoutMs` saying which.
 */
export async function waitForJobEvent(
  runDir: string,
  room: string,
  type: string,
  timeoutMs = 30_000,
  nth = 1,
): Promise<JobEvent> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = readJournal(runDir, room).filter((event) => event.type === type)[nth - 1];
    if (found) return found;
    if (Date.now() > deadline) {
      const seen = readJournal(runDir, room).map((event) => event.type);
      throw new Error(
        `lab job of room ${room}: no "${type}" event #${nth} within ${timeoutMs} ms (it wrote: ${seen.join(', ') || 'nothing'})`,
      );
    }
    await sleep(50);
  }
}
