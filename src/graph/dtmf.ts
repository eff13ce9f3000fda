/**
 * The graph side of pressing phone keys (DTMF): what a node or a model uses to send keys down the
 * line, e.g. to navigate another company's phone menu. Also the digit validator the LiveKit side
 * reuses, so both sides accept exactly the same keys.
 *
 * This module may run inside a LangGraph server, so it imports nothing from the LiveKit agents package (the linter enforces it).
 */
import { tool } from '@langchain/core/tools';
import type { LangGraphRunnableConfig } from '@langchain/langgraph';
import { z } from 'zod';
import type { CallActionKind } from './call-action.js';
import { textArg } from './message-fields.js';

/** The name of the key-press tool, on the graph side (`sendDtmfTool`) and on the LiveKit side. */
export const SEND_DTMF = 'send_dtmf';

/** The `type` of the object `sendDtmf()` writes to the custom stream. */
export const DTMF_SIGNAL = 'dtmf';

/** The keys of a phone keypad (plus the A–D column of the full DTMF set), in code order. */
export const DTMF_KEYS = '0123456789*#ABCD';

/** The object `sendDtmf()` writes to the graph's custom stream. */
export interface DtmfSignal {
  /** Always `'dtmf'`: what marks the value as a key-press signal. */
  type: typeof DTMF_SIGNAL;
  /** The keys to press, in order: `0-9 * # A-D`. */
  digits: string;
}

/**
 * The most keys one key press action may send: about 10 s at the LiveKit side's default 300 ms
 * gap, enough for a phone number with an extension or a card number. A longer sequence holds the
 * line for minutes (5,000 keys were accepted once: 25 minutes) and is refused.
 */
export const MAX_DTMF_KEYS = 32;

/** Digits after {@link parseDtmf}: the keys to press, and the characters that are not keys. */
export interface ParsedDtmf {
  /** The keys, upper-cased, with spaces, dashes and dots removed (`'12 34-#'` → `'1234#'`). */
  digits: string;
  /** Each character that is not a key, once, in order of appearance. */
  invalid: string[];
}

/**
 * Reads keys as a model or a person writes them: spaces, dashes and dots separate groups
 * (`'555-0100'`) and are dropped, `a-d` mean `A-D`; anything else that is not a key is reported.
 */
export function parseDtmf(text: string): ParsedDtmf {
  let digits = '';
  const invalid: string[] = [];
  for (const char of text) {
    if (/[\s.-]/.test(char)) continue;
    const key = /^[a-d]$/.test(char) ? char.toUpperCase() : char;
    if (DTMF_KEYS.includes(key)) digits += key;
    else if (!invalid.includes(char)) invalid.push(char);
  }
  return { digits, invalid };
}

/**
 * What is wrong with `text` as keys to press, in words a model can act on; `undefined` when it
 * holds at least one and at most {@link MAX_DTMF_KEYS} keys and nothing else.
 */
export function dtmfProblem(text: string): string | undefined {
  const { digits, invalid } = parseDtmf(text);
  if (invalid.length > 0) {
    const listed = invalid.map((c) => JSON.stringify(c)).join(', ');
    return `${listed} ${invalid.length === 1 ? 'is not a phone key' : 'are not phone keys'}: only 0-9, *, # and A-D can be pressed, so no key was pressed`;
  }
  if (digits.length > MAX_DTMF_KEYS) {
    return `${digits.length} keys are more than one press may send (at most ${MAX_DTMF_KEYS}), so no key was pressed`;
  }
  return digits === '' ? 'no keys were given, so no key was pressed' : undefined;
}

/**
 * Presses phone keys from inside a graph node: after everything the graph says before it in this
 * run has been played, each key is sent down the line in order.
 *
 * It writes `{ type: 'dtmf', digits }` to the run's custom stream, which `LLMAdapter` turns into a
 * `send_dtmf` function call; several calls in one run press their keys in order. Outside a
 * streamed run (`graph.invoke()`) it does nothing.
 *
 * @throws when `digits` holds anything but `0-9 * # A-D` (spaces and dashes are allowed and
 * dropped): a node that builds wrong keys has a bug that should surface where it is.
 * @example
 * ```ts
 * const pressBilling = async (_state: typeof MessagesAnnotation.State, config: LangGraphRunnableConfig) => {
 *   sendDtmf(config, '2');
 *   return {};
 * };
 * ```
 */
export function sendDtmf(config: LangGraphRunnableConfig | undefined, digits: string): void {
  const problem = dtmfProblem(String(digits));
  if (problem) throw new Error(`sendDtmf: ${problem} (got ${JSON.stringify(digits)})`);
  const signal: DtmfSignal = { type: DTMF_SIGNAL, digits: parseDtmf(digits).digits };
  config?.writer?.(signal);
}

/** Whether a value written to a graph's custom stream asks to press keys: `{ type: 'dtmf', digits }`. */
export function isDtmfSignal(value: unknown): value is DtmfSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === DTMF_SIGNAL
  );
}

/**
 * The `additional_kwargs` key that marks a caller's message as typed on the keypad (the adapter
 * sets it to `true` for turns from `forwardDtmf()`); the message's text is the keys, e.g. `'1234'`.
 */
export const DTMF_INPUT = 'dtmf';

/**
 * Whether a message is keys the caller typed rather than words they said: a message from
 * `forwardDtmf()` (a LangChain message, or a RemoteGraph plain object) has
 * `additional_kwargs.dtmf === true`, and its text is the keys.
 */
export function isDtmfInput(message: unknown): boolean {
  if (typeof message !== 'object' || message === null) return false;
  const kwargs = (message as { additional_kwargs?: unknown }).additional_kwargs;
  return (
    typeof kwargs === 'object' &&
    kwargs !== null &&
    (kwargs as Record<string, unknown>)[DTMF_INPUT] === true
  );
}

const sendDtmfSchema = z.object({
  /** The keys to press, `0-9 * # A-D`. */
  digits: z
    .string()
    .describe(
      'The keys to press, in order, e.g. "1", "2#", "4155550100#". Only 0-9, *, # and A-D.',
    ),
});

/**
 * A LangChain tool named `send_dtmf` for `model.bindTools()` and `ToolNode`: the model calls it to
 * press phone keys (to answer another system's phone menu). `LLMAdapter` sees the call in the
 * model's output; the keys are pressed after the words the model said before them. Invalid keys
 * come back as the tool's result, so the model can correct itself.
 *
 * @example
 * ```ts
 * const model = new ChatOpenAI({ model: 'gpt-4o-mini' }).bindTools([sendDtmfTool, endCallTool]);
 * const tools = new ToolNode([sendDtmfTool, endCallTool]);
 * ```
 */
export const sendDtmfTool = tool(
  async ({ digits }) => {
    const problem = dtmfProblem(digits);
    if (problem) return `Error: ${problem}.`;
    return (
      `The keys ${parseDtmf(digits).digits} are pressed once your words before them have played. ` +
      'Say nothing more now: wait for the other side to answer.'
    );
  },
  {
    name: SEND_DTMF,
    description:
      'Press keys on the phone keypad (DTMF tones), e.g. to choose an option in an automated ' +
      'phone menu ("press 2 for billing") or to enter a number the menu asks for. Digits are ' +
      '0-9, * and # (and A-D). Do not say the keys aloud; say nothing after calling it, and wait ' +
      'for the menu to answer.',
    schema: sendDtmfSchema,
  },
);

/** Pressing keys, as a call action (see `CallActionKind`): several per run, in order. */
export const sendDtmfAction = {
  name: SEND_DTMF,
  isSignal: isDtmfSignal,
  endsCall: false,
  carriesTrigger: false,
  livekitTool: 'dtmfTool()',
  parse: (given: unknown) => ({ digits: textArg(given, 'digits') }),
  notDone: (args: { digits: string }) => `the keys ${args.digits} were NOT pressed.`,
} as const satisfies CallActionKind<typeof SEND_DTMF, { digits: string }>;
