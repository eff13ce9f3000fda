/**
 * `npm run bench -- --only lab`: calls through a real livekit-server in the call lab
 * (docs/local-lab.md), measured at the caller by lab/bench.ts, which runs inside the lab's
 * network namespace (root, Linux). Here the figures become a section.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LabFigures } from '../lab/bench.js';
import { PHONE_DRAINS, type PhoneGoodbyeFigure } from '../lab/sip/goodbye-figures.js';
import { atMost, progress, type Target } from './progress.js';
import { formatTable, median, percentile } from './stats.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const ms = (value: number) => `${value.toFixed(0)} ms`;

/** Runs lab/bench.ts in the lab with `calls` goodbye calls of each kind. */
async function measure(calls: number): Promise<LabFigures> {
  const out = join(tmpdir(), `lab-bench-${process.pid}.json`);
  const tsx = here('../node_modules/.bin/tsx');
  const command = [
    here('../lab/lab.ts'),
    tsx,
    here('../lab/bench.ts'),
    '--calls',
    String(calls),
    '--out',
    out,
  ];
  const code = await new Promise<number | null>((resolve) => {
    // NODE_ENV=production: rtc-node logs at debug level otherwise
    const child = spawn(tsx, command, {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NODE_ENV: 'production' },
    });
    child.once('exit', resolve);
    child.once('error', () => resolve(-1));
  });
  if (code !== 0)
    throw new Error(`bench lab: the lab run failed (exit ${code}); its output is above`);
  try {
    return JSON.parse(readFileSync(out, 'utf8')) as LabFigures;
  } finally {
    rmSync(out, { force: true });
  }
}

/** The lab section: goodbye tail with and without the drain, barge-in, adapter latency. */
export async function benchLab({
  calls = 20,
} = {}): Promise<{ markdown: string; targets: Target[] }> {
  progress(
    `${calls} goodbye calls with drainMs 0 and ${calls} with the default, ${calls} phone goodbyes per drain and per hangup action, then barge-in and latency calls`,
  );
  const figures = await measure(calls);
  const goodbyeRow = (drain: number | 'default') => {
    const rows = figures.goodbye.filter((g) => g.drainMs === drain);
    const last = rows.map((g) => g.lastWordMs);
    const tail = rows.map((g) => g.tailAfterPlayoutMs);
    return [
      drain === 'default' ? '500 (default)' : String(drain),
      String(rows.length),
      `${rows.filter((g) => g.whole).length} of ${rows.length}`,
      `${ms(median(last))} / ${ms(Math.min(...last))}`,
      `${ms(median(tail))} / ${ms(percentile(tail, 0.9))}`,
    ];
  };
  const phoneRow = (drain: number) => {
    const rows = figures.phoneGoodbye.filter(
      (g) => g.drainMs === drain && g.action === 'delete_room',
    );
    const last = rows.map((g) => g.lastWordMs);
    const after = rows.map((g) => g.afterLastWordMs);
    const bye = rows.map((g) => g.byeAfterPlayoutMs);
    return [
      drain === 500 ? '500 (default)' : String(drain),
      String(rows.length),
      String(rows.filter((g) => g.clipped).length),
      `${ms(median(last))} / ${ms(Math.min(...last))}`,
      `${ms(median(after))} / ${ms(Math.min(...after))}`,
      `${ms(median(bye))} / ${ms(percentile(bye, 0.95))}`,
    ];
  };
  const byeRow = (action: PhoneGoodbyeFigure['action']) => {
    const rows = figures.phoneGoodbye.filter((g) => g.drainMs === 'default' && g.action === action);
    const request = rows.map((g) => g.byeAfterRequestMs);
    const playout = rows.map((g) => g.byeAfterPlayoutMs);
    return [
      `\`${action}\``,
      String(rows.length),
      String(rows.filter((g) => g.clipped).length),
      `${ms(median(request))} / ${ms(percentile(request, 0.95))}`,
      `${ms(median(playout))} / ${ms(percentile(playout, 0.95))}`,
    ];
  };
  const { adapter, plain } = figures.latency;
  const extra = median(adapter) - median(plain);
  const markdown = [
    '## Call lab: a real livekit-server',
    '',
    `Calls through livekit-server v1.13.5 in the lab's network namespace (bench/lab.ts, lab/bench.ts); an rtc-node caller records what it receives; the agent is an agents-js worker with \`LLMAdapter\`, Silero VAD and the lab's tone TTS (each word a 160 ms tone).`,
    '',
    '**The goodbye on a real media path** (`hangupTool`, `delete_room`): how much of the last word (160 ms) reached the caller before the room was deleted, and when its last frame arrived after the agent finished playing it locally.',
    '',
    formatTable(
      [
        'drainMs',
        'calls',
        'whole goodbye heard',
        'last word received, median / min',
        'last frame after local playout end, median / p90',
      ],
      [goodbyeRow(0), goodbyeRow('default')],
    ),
    '',
    "**The goodbye on a phone line**: a baresip phone (PCMU) behind livekit-sip; the phone's recording ends at the bridge's BYE, and the last word (160 ms) was cut by the hangup when less than 20 ms of silence follows it.",
    '',
    formatTable(
      [
        'drainMs',
        'calls',
        'last word cut by the hangup',
        'last word received, median / min',
        'silence after it before the BYE, median / min',
        'BYE after local playout end, median / p95',
      ],
      PHONE_DRAINS.map(phoneRow),
    ),
    '',
    "**How fast the phone gets its BYE** (`hangupTool`, default drain): after the drain, when the hangup request goes out, and after the agent's local playout end.",
    '',
    formatTable(
      [
        'action',
        'calls',
        'last word cut by the hangup',
        'BYE after the request, median / p95',
        'BYE after local playout end, median / p95',
      ],
      [byeRow('delete_room'), byeRow('remove_participant')],
    ),
    '',
    `**Barge-in by voice** over a long answer while the graph is in a silent step: caller's speech start → last frame of the cut answer at the caller, ${figures.bargeIn.length} calls: median ${ms(median(figures.bargeIn))}, p90 ${ms(percentile(figures.bargeIn, 0.9))} (includes the VAD's minimum speech before an interruption).`,
    '',
    `**Latency**: caller's end of speech → first frame of the answer at the caller (VAD endpointing included), ${adapter.length} turns each:`,
    '',
    formatTable(
      ['LLM', 'median', 'p90'],
      [
        ['`LLMAdapter` around a graph', ms(median(adapter)), ms(percentile(adapter, 0.9))],
        ['the same fake model as a plain `llm.LLM`', ms(median(plain)), ms(percentile(plain, 0.9))],
        [
          'ratio / difference of medians',
          `${(median(adapter) / median(plain)).toFixed(3)}×`,
          ms(extra),
        ],
      ],
    ),
    '',
    figures.failed.length > 0
      ? `Calls that failed (a bound ran out: real-time audio lags on a starved machine): ${figures.failed.length} — ${figures.failed.join('; ')}`
      : 'No call failed.',
    '',
  ].join('\n');
  return {
    markdown,
    targets: [atMost('lab: adapter latency over the plain LLM (median)', extra, 5, ms)],
  };
}
