/**
 * The demo's command line, parsed before anything heavy is imported: `--help` and a mistyped
 * option answer at once.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

export const HELP = `Usage: npm run demo -- [options]

A scripted phone call through a real LiveKit AgentSession and a real LangGraph graph (the
sample agent's). No API keys, no LiveKit server: the model is deterministic, speech is
simulated, and LiveKit's RoomService and SIP APIs are local stand-ins on 127.0.0.1 that
verify the token's grants. The call report is printed at the end.

Options:
  --script <file>          the caller's lines, a JSON array (default: an order question,
                           then "That's all, thanks. Bye!")
  --remove-participant     hang up by removing the caller instead of deleting the room
  --interrupt-goodbye      let the caller cut into the goodbye: the call stays up, the
                           graph is told so, and the call ends at the next goodbye
  --transfer               the caller asks for a person: the graph transfers the call
                           (TransferSIPParticipant to the local SIP stand-in)
  --speed <n>              play speech n times faster than real time (default: 4)
  --no-color               plain output (also when NO_COLOR is set or output is no terminal)
  -h, --help               this text

What the scripted model understands in a caller's line (your --script can use it):
  "order"                          asks for the order number
  a number of 3+ digits (1001)     looks the order up with the graph's lookup_order tool
  "address"                        notes a new delivery address
  "bye" / "goodbye"                says goodbye and calls end_call (the call is hung up)
  "all set" / "nothing else"       the task is done: the graph's goodbye node ends the call
  "person" / "human" / "someone"   with --transfer: transfer_call to "human"; without,
                                   it says it cannot transfer
  anything else                    asks the caller to say it again`;

/** The demo's options, checked. */
export interface DemoOptions {
  script: string[] | undefined;
  'remove-participant': boolean;
  'interrupt-goodbye': boolean;
  transfer: boolean;
  speed: number;
  'no-color': boolean;
  help: boolean;
}

/**
 * Parses `args` (the arguments after `npm run demo --`).
 *
 * @throws Error naming the bad option and pointing to `--help`.
 */
export function parseDemoArgs(args: string[]): DemoOptions {
  let values: ReturnType<typeof parse>['values'];
  try {
    ({ values } = parse(args));
  } catch (error) {
    const reason = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new Error(`${reason} — run \`npm run demo -- --help\` for the options`);
  }
  const speed = Number(values.speed);
  if (!(speed > 0)) throw new Error(`--speed must be a positive number, got "${values.speed}"`);
  return { ...values, speed, script: values.script ? readScript(values.script) : undefined };
}

function parse(args: string[]) {
  return parseArgs({
    args,
    options: {
      script: { type: 'string' },
      'remove-participant': { type: 'boolean', default: false },
      'interrupt-goodbye': { type: 'boolean', default: false },
      transfer: { type: 'boolean', default: false },
      speed: { type: 'string', default: '4' },
      'no-color': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
}

function readScript(path: string): string[] {
  const lines: unknown = JSON.parse(readFileSync(path, 'utf8'));
  if (!Array.isArray(lines) || lines.length === 0 || !lines.every((l) => typeof l === 'string')) {
    throw new Error(
      `--script ${path}: expected a JSON array of the caller's lines, e.g. ["Hi", "Bye!"]`,
    );
  }
  return lines;
}
