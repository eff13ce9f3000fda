/**
 * `dtmfTool()`: the LiveKit side of `send_dtmf`. Presses the graph's keys on the line (to drive
 * another system's phone menu) after the words said before them have been heard — played, then
 * drained, like the last line before a hangup or a transfer.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { getJobContext, llm, log } from '@livekit/agents';
import { z } from 'zod';
import { DTMF_KEYS, dtmfProblem, parseDtmf, SEND_DTMF } from '../graph/dtmf.js';
import { parseOptions } from '../validation.js';
import { recordCallAction } from './report/report.js';
import { logFields } from './speak-then-act/failures.js';
import {
  DEFAULT_DRAIN_MS,
  DEFAULT_PLAYOUT_TIMEOUT_MS,
  playoutOptionsShape,
} from './speak-then-act/playout.js';
import { hearLastLine } from './speak-then-act/sequence.js';

/**
 * @inline
 * What {@link dtmfTool} needs of a room: its local participant's `publishDtmf` (rtc-node `Room`).
 */
export interface DtmfRoom {
  /** The agent's participant; unset until the room is connected. */
  readonly localParticipant?: {
    /** Sends one key on the line (`code`: 0-9, * = 10, # = 11, A-D = 12-15). */
    publishDtmf(code: number, digit: string): Promise<void>;
  } | null;
}

/** Options of {@link dtmfTool}. */
export interface DtmfToolOptions {
  /** The room whose local participant (the agent) presses the keys. @default the session's room, else the job's room */
  room?: DtmfRoom;
  /** The pause between two keys, in ms: phone menus miss keys pressed faster. @default 300 (as agents-js `beta.sendDtmfEvents`) */
  gapMs?: number;
  /**
   * How long the first key waits after the words before it finished playing locally, in ms, so
   * their last audio reaches the line before the keys do: a gateway that plays keys as tones
   * (in-band DTMF) would sound them over the words' tail. @default 500 (as `hangupTool`)
   */
  drainMs?: number;
  /** How long the words before the keys may play before the keys go anyway, in ms. @default 20000 */
  playoutTimeoutMs?: number;
}

const schema = z.strictObject({
  room: z
    .custom<DtmfRoom>((value) => typeof value === 'object' && value !== null, {
      error: 'expected a Room from @livekit/rtc-node',
    })
    .optional(),
  gapMs: z
    .number('expected a number of milliseconds')
    .int('expected whole milliseconds')
    .nonnegative('expected 0 to 5000 milliseconds')
    .max(5_000, { error: 'expected 0 to 5000 milliseconds' })
    .optional(),
  ...playoutOptionsShape,
});

/** The DTMF event code of a key: `0-9` → 0–9, `*` → 10, `#` → 11, `A-D` → 12–15 (RFC 4733). */
export function dtmfCode(key: string): number {
  const index = DTMF_KEYS.indexOf(key);
  if (key.length !== 1 || index < 0)
    throw new Error(`dtmfCode: ${JSON.stringify(key)} is not a phone key`);
  return index;
}

/** Key presses under way per session: a second `send_dtmf` of the same reply waits for the first. */
const pressing = new WeakMap<object, Promise<unknown>>();

/**
 * A LiveKit function tool that presses phone keys. Register it under the name `send_dtmf`, which
 * is what `LLMAdapter` emits for `sendDtmf()` and `sendDtmfTool`.
 *
 * When executed with `{ digits }` it checks them (`0-9 * # A-D`, at most 32 keys; spaces and
 * dashes are dropped) — anything else is refused, and the result says why so the graph can try
 * again — waits until the words said before it have played and `drainMs` more, then publishes each
 * key on the room's local participant, in order, `gapMs` apart. Several `send_dtmf` calls of one
 * reply press their keys one call after the other. It returns nothing, so no new LLM turn
 * starts: the other side answers. When the call ends (the session closes), it stops between two
 * keys and the close goes on.
 *
 * @throws when an option is invalid.
 * @example
 * ```ts
 * const agent = new voice.Agent({ instructions: '', tools: { send_dtmf: dtmfTool() } });
 * ```
 */
export function dtmfTool(options: DtmfToolOptions = {}) {
  const parsed = parseOptions('dtmfTool', schema, options);
  const gapMs = parsed.gapMs ?? 300;
  const drainMs = parsed.drainMs ?? DEFAULT_DRAIN_MS;
  const playoutTimeoutMs = parsed.playoutTimeoutMs ?? DEFAULT_PLAYOUT_TIMEOUT_MS;
  return llm.tool({
    description: 'Presses keys on the phone keypad (DTMF), in order: 0-9, *, # and A-D.',
    parameters: z.object({
      /** The keys to press. */
      digits: z.string().describe('The keys to press, e.g. "2" or "4155550100#"'),
    }),
    execute: async ({ digits }, { ctx, abortSignal }) => {
      const problem = dtmfProblem(digits);
      if (problem) return `The keys ${JSON.stringify(digits)} were not sent: ${problem}.`;
      const room = parsed.room ?? sessionRoom(ctx.session) ?? getJobContext(false)?.room;
      const participant = room?.localParticipant;
      if (!participant) {
        log().error('send_dtmf: the agent is not connected to a room; no key pressed');
        return 'No key was pressed: the phone line is not connected.';
      }
      const session = ctx.session;
      const before = pressing.get(session) ?? Promise.resolve();
      const keys = parseDtmf(digits).digits;
      const sent = { count: 0 };
      // the speech's own done callback would wait for this tool too: a circular wait
      const heard = hearLastLine(session, {
        speech: ctx.speechHandle,
        played: () => ctx.waitForPlayout(),
        playoutTimeoutMs,
        drainMs,
        cancelIfInterrupted: false,
        signal: abortSignal,
      });
      const press = Promise.all([before, heard]).then(() =>
        pressKeys(participant, keys, gapMs, abortSignal, sent),
      );
      pressing.set(
        session,
        press.catch(() => {}),
      );
      try {
        await press;
      } catch (error) {
        if (abortSignal.aborted) {
          // the session is closing (the caller hung up): keys for nobody would hold the close
          const stopped = `the call ended after ${sent.count} of ${keys.length} keys`;
          log().info(
            { pressed: sent.count, keys: keys.length },
            'send_dtmf: the call ended; stopped',
          );
          recordCallAction(session, { name: SEND_DTMF, digits: keys, ok: false, error: stopped });
          return undefined;
        }
        log().error(logFields(error), 'send_dtmf: publishing a key failed');
        recordCallAction(session, {
          name: SEND_DTMF,
          digits: keys,
          ok: false,
          error: String(error),
        });
        return `Pressing the keys failed part way; some keys may not have been sent.`;
      }
      recordCallAction(session, { name: SEND_DTMF, digits: keys, ok: true });
      // nothing to add: the other side's answer is the next turn
      return undefined;
    },
  });
}

/** Publishes `digits` `gapMs` apart, counting them in `sent`, until `signal` aborts. */
async function pressKeys(
  participant: NonNullable<DtmfRoom['localParticipant']>,
  digits: string,
  gapMs: number,
  signal: AbortSignal,
  sent: { count: number },
): Promise<void> {
  for (const [index, key] of [...digits].entries()) {
    if (index > 0 && gapMs > 0) await delay(gapMs, undefined, { signal });
    signal.throwIfAborted();
    await participant.publishDtmf(dtmfCode(key), key);
    sent.count += 1;
  }
}

/**
 * The room the session runs in. agents-js keeps it on an `@internal` field with no public
 * accessor, no upstream issue as of 2026-12
 * (https://github.com/livekit/agents-js/blob/%40livekit/agents%401.9.0/agents/src/voice/agent_session.ts#L614);
 * its own `beta.sendDtmfEvents` reads it the same way. `undefined` in text mode.
 */
function sessionRoom(session: object): DtmfRoom | undefined {
  return (session as { _roomIO?: { rtcRoom?: DtmfRoom } })._roomIO?.rtcRoom;
}
