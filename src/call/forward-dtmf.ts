/**
 * `forwardDtmf()`: the caller's keypresses become the caller's turn, as if they had said the
 * keys — so a graph can ask "enter your order number, then press pound" and read the digits.
 */
import { getJobContext, llm, log } from '@livekit/agents';
import { z } from 'zod';
import { DTMF_INPUT, DTMF_KEYS, MAX_DTMF_KEYS } from '../graph/dtmf.js';
import { parseOptions } from '../validation.js';
import type { AnySession } from './any-session.js';
import { recordCallAction } from './report/report.js';
import { logFields } from './speak-then-act/failures.js';

/** The call report's name for keys the caller pressed. */
const KEYS_PRESSED = 'dtmf_received';

/** `RoomEvent.DtmfReceived` of `@livekit/rtc-node` (not imported: it is not a peer dependency). */
const DTMF_RECEIVED = 'dtmfReceived';

/**
 * @inline
 * What {@link forwardDtmf} needs of a room: rtc-node's `Room` events.
 */
export interface DtmfSource {
  /** Listens to the keys remote participants press. */
  on(event: typeof DTMF_RECEIVED, listener: (code: number, digit: string) => void): unknown;
  /** Stops listening. */
  off(event: typeof DTMF_RECEIVED, listener: (code: number, digit: string) => void): unknown;
}

/** Options of {@link forwardDtmf}. */
export interface ForwardDtmfOptions {
  /** The session whose caller types. */
  session: AnySession;
  /** The room the keypresses come from. @default the job's room */
  room?: DtmfSource;
  /** The key that ends an entry at once; it is not part of the digits. `''` turns it off. @default '#' */
  submitKey?: string;
  /** How long after the last key an entry ends by itself, in ms. @default 3000 */
  interDigitTimeoutMs?: number;
}

/** What {@link forwardDtmf} returns. */
export interface DtmfForwarding {
  /** Stops listening; keys gathered and not yet submitted are dropped. */
  stop(): void;
}

const schema = z.strictObject({
  session: z.custom<ForwardDtmfOptions['session']>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { generateReply?: unknown }).generateReply === 'function',
    { error: 'expected a voice.AgentSession' },
  ),
  room: z
    .custom<DtmfSource>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as DtmfSource).on === 'function',
      { error: 'expected a Room from @livekit/rtc-node' },
    )
    .optional(),
  submitKey: z
    .string()
    .refine((key) => key === '' || (key.length === 1 && DTMF_KEYS.includes(key)), {
      error: 'expected one phone key (0-9, *, #, A-D) or "" for none',
    })
    .optional(),
  interDigitTimeoutMs: z.number().int().positive().optional(),
});

/**
 * Forwards the caller's keypresses (`RoomEvent.DtmfReceived`) to the session: keys are gathered
 * until `submitKey` or `interDigitTimeoutMs` of quiet, then become the caller's turn — a user
 * message whose text is the keys (e.g. `'1234'`) and that the graph can tell from speech
 * (`isDtmfInput(message)`: `additional_kwargs.dtmf === true`). A graph waiting in `interrupt()`
 * is resumed with the keys, as with a spoken answer. The first key while the agent speaks
 * interrupts it, as speech would (a non-interruptible line, e.g. a goodbye, plays on). An entry
 * holds at most 32 keys: later keys are dropped (with a warning) until it ends.
 *
 * @throws when an option is invalid, or outside a LiveKit job without `room`.
 * @example
 * ```ts
 * await session.start({ agent, room: ctx.room });
 * const keys = forwardDtmf({ session, room: ctx.room });
 * // keys.stop() when the caller's keys should no longer reach the graph
 * ```
 */
export function forwardDtmf(options: ForwardDtmfOptions): DtmfForwarding {
  const parsed = parseOptions('forwardDtmf', schema, options);
  const { session } = parsed;
  const room = parsed.room ?? (getJobContext(false)?.room as DtmfSource | undefined);
  if (!room) {
    throw new Error('forwardDtmf: no room outside a LiveKit job — pass `room`');
  }
  const submitKey = parsed.submitKey ?? '#';
  const quietMs = parsed.interDigitTimeoutMs ?? 3000;
  let keys = '';
  let timer: NodeJS.Timeout | undefined;
  let capped = false;

  const submit = () => {
    clearTimeout(timer);
    timer = undefined;
    const entry = keys;
    keys = '';
    capped = false;
    if (!entry) return;
    const message = llm.ChatMessage.create({
      role: 'user',
      content: entry,
      extra: { [DTMF_INPUT]: true },
    });
    recordCallAction(session, { name: KEYS_PRESSED, digits: entry });
    try {
      session.generateReply({ userInput: message });
    } catch (error) {
      // the session is closing (the call ended): nobody is left to answer the keys
      log().debug(logFields(error), 'forwardDtmf: keys after the session stopped; dropped');
    }
  };

  const onKey = (_code: number, digit: string) => {
    if (keys === '') interruptAgent(session);
    if (submitKey !== '' && digit === submitKey) {
      submit();
      return;
    }
    if (keys.length >= MAX_DTMF_KEYS) {
      // a stuck key or a fax tone: the entry ends when the keys stop, with what it holds
      if (!capped)
        log().warn({ kept: MAX_DTMF_KEYS }, 'forwardDtmf: entry too long; later keys dropped');
      capped = true;
      return;
    }
    keys += digit;
    clearTimeout(timer);
    timer = setTimeout(submit, quietMs);
  };

  room.on(DTMF_RECEIVED, onKey);
  return {
    stop: () => {
      clearTimeout(timer);
      keys = '';
      room.off(DTMF_RECEIVED, onKey);
    },
  };
}

/** Interrupts what the agent says, as the caller's speech would. */
function interruptAgent(session: ForwardDtmfOptions['session']): void {
  try {
    // the interruption completes in the background; a failure there changes nothing for the keys
    session.interrupt().await.catch(() => {});
  } catch (error) {
    // a non-interruptible speech (a goodbye, a handoff line) plays on, as it would for speech
    log().debug(logFields(error), 'forwardDtmf: the agent could not be interrupted');
  }
}
