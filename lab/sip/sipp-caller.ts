/**
 * A caller whose phone answers the bridge's REFER the way baresip cannot be made to: with
 * `403 Forbidden`, or with `202 Accepted` and then never a NOTIFY. sipp (Debian `sip-tester`)
 * does the signalling from lab/sip/sipp/caller-answers-refer.xml; the call's audio is an
 * {@link RtpLine} of the lab, which speaks the caller's lines and records what the caller heard,
 * as a baresip phone's recording. The call ends when the other side hangs up (sipp answers the
 * BYE and exits) or when the caller is stopped.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type LabProcess, startProcess, tailOf } from '../processes.js';
import type { HeardWord } from '../voice/tones.js';
import { phoneWords, pollRecording, secondsOf } from './phone.js';
import { RtpLine } from './rtp-line.js';

/** How the caller's phone answers the REFER. */
export type ReferAnswer = '403 Forbidden' | '202 Accepted';

/** The sipp caller's ports (127.0.0.1): its SIP port, its RTP line, and sipp's own media port. */
export const SIPP_CALLER_PORTS = { sip: 5090, rtp: 30100, sippMedia: 30110 } as const;

/** How long sipp may run in all: longer than any lab call, so a call nobody ends still ends. */
const SIPP_TIMEOUT_S = 180;

const SCENARIO = fileURLToPath(new URL('./sipp/caller-answers-refer.xml', import.meta.url));

/** A SIP message sipp sent or received, from its short message log. */
export interface SippMessage {
  /** Wall-clock ms since the epoch. */
  at: number;
  direction: 'sent' | 'received';
  /** The request line or status line, e.g. `REFER sip:…` or `SIP/2.0 403 Forbidden`. */
  line: string;
}

/** What a sipp caller is. */
export interface SippCallerOptions {
  referAnswer: ReferAnswer;
  /** A folder of the run for its scenario, logs and message trace. */
  runDir: string;
}

/** A caller on sipp and an RTP line, ready to dial. */
export class SippCaller {
  readonly #dir: string;
  readonly #scenario: string;
  readonly #line: RtpLine;
  #sipp: LabProcess | undefined;

  private constructor(dir: string, scenario: string, line: RtpLine) {
    this.#dir = dir;
    this.#scenario = scenario;
    this.#line = line;
  }

  /** Opens the caller's RTP line and writes its scenario; nothing is dialled yet. */
  static async start(options: SippCallerOptions): Promise<SippCaller> {
    try {
      execFileSync('sipp', ['-v'], { stdio: 'ignore' });
    } catch (error) {
      // `sipp -v` exits 99 after printing its version: only a missing program is a problem
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error('lab: sipp is not installed (Debian: apt-get install sip-tester)');
      }
    }
    const dir = join(options.runDir, `sipp-caller-${Date.now()}`);
    mkdirSync(dir, { recursive: true });
    const scenario = join(dir, 'scenario.xml');
    writeFileSync(
      scenario,
      readFileSync(SCENARIO, 'utf8').replaceAll('{{REFER_ANSWER}}', options.referAnswer),
    );
    return new SippCaller(dir, scenario, await RtpLine.open(SIPP_CALLER_PORTS.rtp));
  }

  /** Places the call to `uri` (`sip:<number>@<host>:<port>`): starts sipp, which calls once. */
  async dial(uri: string): Promise<string> {
    const match = /^sip:([^@]+)@([^:;]+):(\d+)$/.exec(uri);
    if (!match)
      throw new Error(`sipp caller: cannot dial ${uri} — expected sip:<user>@<host>:<port>`);
    if (this.#sipp) throw new Error('sipp caller: already dialled — one call per caller');
    const [, user, host, port] = match as unknown as [string, string, string, string];
    this.#sipp = startProcess(
      'sipp caller',
      [
        'sipp',
        `${host}:${port}`,
        ...['-sf', this.#scenario, '-s', user, '-m', '1', '-t', 'u1', '-nostdin'],
        ...['-i', '127.0.0.1', '-p', String(SIPP_CALLER_PORTS.sip)],
        ...['-key', 'rtp_port', String(SIPP_CALLER_PORTS.rtp)],
        ...['-mp', String(SIPP_CALLER_PORTS.sippMedia)],
        ...['-trace_shortmsg', '-shortmessage_file', this.#file('messages.tsv')],
        ...['-trace_msg', '-message_file', this.#file('messages.log')],
        ...['-trace_err', '-error_file', this.#file('errors.log')],
        ...['-timeout', `${SIPP_TIMEOUT_S}s`, '-timeout_error'],
      ],
      this.#file('sipp.log'),
    );
    return uri;
  }

  /** Speaks `samples` (8 kHz mono) into the call now, then silence. */
  async speak(samples: Int16Array): Promise<void> {
    this.#line.speak(samples);
  }

  /** Whether sipp still runs: it exits once the call is over (the other side's BYE answered). */
  get inCall(): boolean {
    return this.#sipp !== undefined && this.#sipp.child.exitCode === null;
  }

  /** Waits, bounded, until sipp has ended; resolves with its exit code (0: the scenario ran to its end). */
  async ended(what: string, timeoutMs: number): Promise<number | string> {
    const sipp = this.#sipp;
    if (!sipp) throw new Error('sipp caller: never dialled');
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new Error(
              `sipp caller: ${what} did not happen within ${timeoutMs} ms; sipp's messages:\n${this.#messageLines()}`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([sipp.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The messages sipp sent and received (its log is written lazily: complete once it ended). */
  messages(): SippMessage[] {
    let text = '';
    try {
      text = readFileSync(this.#file('messages.tsv'), 'utf8');
    } catch {
      return [];
    }
    return text
      .split('\n')
      .map((row) => row.split('\t'))
      .filter((fields) => fields.length >= 7)
      .map(([, , epoch, direction, , , line]) => ({
        at: Number(epoch) * 1000,
        direction: direction === 'S' ? 'sent' : 'received',
        line: (line ?? '').trim(),
      }));
  }

  /** What the caller heard, one recording per call leg (a sipp caller has one). */
  callRecordings(): Int16Array[] {
    return [this.#line.recording()];
  }

  /** The words the caller heard from sample `from` on. */
  wordsFrom(from: number, recording = this.#line.recording()): HeardWord[] {
    return phoneWords(recording.subarray(from));
  }

  /** Waits, bounded, until `ready(recording)` holds, re-reading the recording every 100 ms. */
  async waitForAudio(
    what: string,
    ready: (recording: Int16Array) => boolean,
    timeoutMs: number,
  ): Promise<Int16Array> {
    return pollRecording(
      () => this.#line.recording(),
      ready,
      timeoutMs,
      (recording) => {
        const state = this.#line.connected ? '' : ', no audio from the bridge at all';
        return `sipp caller: ${what} was not heard within ${timeoutMs} ms (${secondsOf(recording)} s recorded${state}); sipp's log ends:\n${this.#sipp ? tailOf(this.#sipp.logFile) : '(never dialled)'}`;
      },
    );
  }

  /** Ends sipp (a call still up is left to the bridge's BYE or media timeout) and closes the line. */
  async stop(): Promise<void> {
    await this.#sipp?.stop();
    this.#line.close();
  }

  #file(name: string): string {
    return join(this.#dir, name);
  }

  #messageLines(): string {
    const lines = this.messages().map((m) => `${m.direction} ${m.line}`);
    return lines.join('\n') || '(none logged yet)';
  }
}
