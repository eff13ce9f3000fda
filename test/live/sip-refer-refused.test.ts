/**
 * A real phone line, c: a cold transfer the caller's own phone does not carry out. The caller is
 * a SIP user agent on sipp (lab/sip/sipp-caller.ts): it asks for a person, the graph asks
 * `transfer_call`, the bridge sends the caller's phone a REFER, and the phone answers it
 * `403 Forbidden` — or `202 Accepted` and then never a NOTIFY. Either way the caller stays with the
 * agent, hears the graph's words on the failed transfer, and the report has the attempt.
 */
import { afterEach, expect, it } from 'vitest';
import { waitForJobEvent } from '../../lab/agent/journal.js';
import { CONNECTING, LINE_BUSY, PERSON_PLEASE } from '../../lab/agent/lines.js';
import { labContext, roomService } from '../../lab/session.js';
import { callAgent } from '../../lab/sip/line.js';
import { PHONE_RATE } from '../../lab/sip/phone.js';
import { type ReferAnswer, SippCaller } from '../../lab/sip/sipp-caller.js';
import { speechOf } from '../../lab/voice/speech.js';
import { nameWords, wordsOf } from '../../lab/voice/tones.js';

const lab = labContext();
const callers: SippCaller[] = [];
afterEach(async () => {
  for (const caller of callers.splice(0)) await caller.stop();
});

const told = [...wordsOf(CONNECTING), ...wordsOf(LINE_BUSY)];

/** Calls the transfer scenario from a caller whose phone answers REFER with `answer`; asks for a person. */
async function refusedTransfer(answer: ReferAnswer, wordsTimeoutMs: number) {
  const caller = await SippCaller.start({ referAnswer: answer, runDir: lab.LAB_RUN_DIR });
  callers.push(caller);
  const { line, room, greetingEnd } = await callAgent(lab, caller, { scenario: 'transfer' });
  try {
    await caller.speak(speechOf(PERSON_PLEASE, PHONE_RATE));
    const heard = await caller.waitForAudio(
      'the handoff line, then the graph’s words on the failed transfer',
      (r) => caller.wordsFrom(greetingEnd, r).length >= told.length,
      wordsTimeoutMs,
    );
    expect(nameWords(caller.wordsFrom(greetingEnd, heard), told)).toEqual(told);
    // heard on a call that is still up: the caller's phone has had no BYE
    expect(caller.inCall).toBe(true);
    const result = await waitForJobEvent(lab.LAB_RUN_DIR, room, 'tool-output');
    // the agent ends the call; the phone answers the BYE and sipp ends its scenario
    await roomService(lab).deleteRoom(room);
    expect(await caller.ended('the BYE once the room was deleted', 20_000)).toBe(0);
    // the REFER was the bridge's only request until the BYE: no second try, no re-INVITE
    const signalling = caller
      .messages()
      .map(({ line }) => (line.startsWith('SIP/2.0') ? line : line.split(' ')[0]));
    expect(signalling.slice(signalling.indexOf('ACK') + 1)).toEqual([
      'REFER',
      `SIP/2.0 ${answer}`,
      'BYE',
      'SIP/2.0 200 OK',
    ]);
    const report = await waitForJobEvent(lab.LAB_RUN_DIR, room, 'report');
    // agents-js hands a tool's string result to the LLM JSON-encoded
    const output = JSON.parse(String(result.output)) as string;
    return { report, output };
  } finally {
    await line.remove();
  }
}

const stillOnTheLine =
  'The caller is still on the line with you. Tell them, and offer another way to help.';

it('c. the caller’s phone refuses the REFER (403): the graph is told in words, the caller stays', async () => {
  const { report, output } = await refusedTransfer('403 Forbidden', 30_000);
  expect(output).toBe(
    `The transfer to person failed: the phone network refused the transfer. ${stillOnTheLine}`,
  );
  expect(report.actions).toMatchObject([
    { name: 'transfer_call', to: 'person', ok: false, error: output },
  ]);
});

it('c. the caller’s phone accepts the REFER and never sends NOTIFY: LiveKit’s ringing timeout ends it, in words', async () => {
  // the ringing timeout is transferTool's requestTimeoutMs (30 s) less 5 s: 25 s after the REFER
  const { report, output } = await refusedTransfer('202 Accepted', 60_000);
  expect(output).toBe(`The transfer to person failed: nobody answered in time. ${stillOnTheLine}`);
  expect(report.actions).toMatchObject([
    { name: 'transfer_call', to: 'person', ok: false, error: output },
  ]);
});
