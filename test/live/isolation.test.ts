/**
 * Nothing the lab starts reaches past the machine: its namespace has no route out and only the
 * lab's addresses, every socket is on them, and a capture of every packet during a whole call
 * and a phone call (signalling, ICE and STUN checks, SIP, RTP, media, the API) shows no other
 * address.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { GREETING } from '../../lab/agent/lines.js';
import { startProcess, waitUntil } from '../../lab/processes.js';
import { labContext, placeCall } from '../../lab/session.js';
import { callAgent } from '../../lab/sip/line.js';
import { CALLER_PORTS, Phone } from '../../lab/sip/phone.js';
import { wordsOf } from '../../lab/voice/tones.js';

const lab = labContext();
/**
 * 127.x or the veth pair's; an IPv4 address in IPv6 form (`[::ffff:10.99.0.1]`, ss) counts. So
 * does link-local multicast (224.0.0.x, which no router forwards): the SIP bridge's WebRTC stack
 * (pion ICE, mDNS "query only" by default) joins the mDNS group, and the kernel reports that with
 * IGMP to 224.0.0.22 on the veth pair, which ends inside the namespace.
 */
const isLabAddress = (address: string) =>
  /^(127\.|10\.99\.0\.|224\.0\.0\.)/.test(address.replace(/^\[::ffff:(.*)\]$/, '$1'));
/** `10.99.0.1.7880` (tcpdump) or `10.99.0.1:7880` (ss) → `10.99.0.1`; ICMP has no port. */
const hostOf = (endpoint: string) =>
  /^(?:\d+\.){4}\d+$/.test(endpoint)
    ? endpoint.replace(/\.\d+$/, '')
    : endpoint.replace(/:(\d+|\*)$/, '');

it('has no route out and only the lab’s addresses', () => {
  expect(execFileSync('ip', ['route', 'show', 'default'], { encoding: 'utf8' }).trim()).toBe('');
  const addresses = execFileSync('ip', ['-o', 'addr', 'show'], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(/\s+/)[3] ?? '');
  expect(addresses.filter((a) => !/^(127\.0\.0\.1\/8|10\.99\.0\.[12]\/24)$/.test(a))).toEqual([]);
});

it('sends every packet of a call between the lab’s addresses', async () => {
  const logFile = join(lab.LAB_RUN_DIR, 'capture.log');
  const capture = startProcess('tcpdump', ['tcpdump', '-i', 'any', '-n', '-l', '-q'], logFile);
  try {
    await waitUntil(
      'tcpdump to listen',
      async () => readFileSync(logFile, 'utf8').includes('listening on'),
      {
        timeoutMs: 10_000,
        process: capture,
      },
    );
    const { caller } = await placeCall(lab, { scenario: 'answer' });
    try {
      await caller.waitFor('greeting', () => caller.heard().length >= wordsOf(GREETING).length);
    } finally {
      await caller.leave();
    }
    // and a phone call: SIP and RTP between the phone and the bridge, the bridge's WebRTC leg
    const phone = await Phone.start({
      name: 'caller',
      ports: CALLER_PORTS,
      runDir: lab.LAB_RUN_DIR,
    });
    try {
      const { line } = await callAgent(lab, phone, { scenario: 'answer' });
      await phone.hangup();
      await line.remove();
    } finally {
      await phone.stop();
    }
    const sockets = execFileSync('ss', ['-tunaH'], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .flatMap((line) => line.split(/\s+/).slice(4, 6).map(hostOf));
    expect(
      sockets.filter(
        (host) => host !== '*' && host !== '0.0.0.0' && host !== '[::]' && !isLabAddress(host),
      ),
    ).toEqual([]);
  } finally {
    await capture.stop();
  }
  const packets = readFileSync(logFile, 'utf8')
    .split('\n')
    .map((line) => / IP6? (\S+) > (\S+?):/.exec(line))
    .filter((match) => match !== null);
  expect(packets.length).toBeGreaterThan(100);
  const outside = packets
    .flatMap(([, from, to]) => [hostOf(from ?? ''), hostOf(to ?? '')])
    .filter((host) => !isLabAddress(host));
  expect(outside).toEqual([]);
});
