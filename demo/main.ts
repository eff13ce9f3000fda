/**
 * `npm run demo`: a whole phone call on any machine, with no API keys and no LiveKit server
 * (demo/call.ts). The command line is read first, so `--help` and a mistyped option answer
 * before LiveKit and LangGraph are loaded.
 */
import { HELP, parseDemoArgs } from './options.js';

async function main(): Promise<number> {
  let opts: ReturnType<typeof parseDemoArgs>;
  try {
    opts = parseDemoArgs(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`demo: ${(error as Error).message}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  const { runDemo } = await import('./call.js');
  return runDemo(opts);
}

process.exitCode = await main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  return 1;
});
