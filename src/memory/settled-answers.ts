/**
 * Which earlier answers LiveKit's chat context now settles, and the corrections they need. An
 * answer is settled when the chat context recorded what the caller heard of it (agents-js commits
 * it when its playback ends), or when the conversation surely moved on without it.
 */
import type { llm } from '@livekit/agents';
import { chatTextOf, isUserMessage } from './chat-items.js';
import type { AnswerCorrection } from './corrections.js';
import type { Anchor, RunRecord } from './records.js';
import { spokenTextOf, wordsOf } from './spoken.js';

type ChatItem = llm.ChatItem;

/** What the chat context says of the anchor's unsettled runs. */
export interface SettledAnswers {
  /** The corrections the anchor's messages need. */
  corrections: AnswerCorrection[];
  /** The assistant chat items in which LiveKit recorded what was heard of those runs. */
  recordIds: Set<string>;
  /** The runs the chat context does not settle yet. */
  unsettled: RunRecord[];
}

/**
 * What the caller heard of the anchor's unsettled runs, as far as `items` tell. When the call is
 * over (`final`), `items` is all there will ever be: an answer missing from it was never heard.
 */
export function settleAnswers(
  anchor: Anchor,
  items: readonly ChatItem[],
  final = false,
): SettledAnswers {
  const corrections: AnswerCorrection[] = [];
  const recordIds = new Set<string>();
  const unsettled: RunRecord[] = [];
  const taken = (id: string) => anchor.given.has(id) || recordIds.has(id);
  for (const run of anchor.unsettled) {
    const later = items.slice(endOfInput(run, items));
    const record = findAnswerRecord(run, later, taken);
    if (record) recordIds.add(record.id);
    const settled = record !== undefined || final || conversationMovedOn(run, later);
    if (!settled) unsettled.push(run);
    const correction = correctionOf(
      run,
      settled ? (record ? chatTextOf(record) : '') : undefined,
      items,
    );
    if (correction) corrections.push(correction);
  }
  return { corrections, recordIds, unsettled };
}

/**
 * The assistant message in which LiveKit recorded what the caller heard of `run`: the first one
 * among the items `later` than the run's input whose text begins the run's answer (an app's
 * `say()` does not) and that is not `taken` already.
 */
function findAnswerRecord(
  run: RunRecord,
  later: readonly ChatItem[],
  taken: (id: string) => boolean,
): ChatItem | undefined {
  const said = wordsOf(spokenTextOf(run.spoken));
  return later.find((item) => {
    if (item.type !== 'message' || item.role !== 'assistant' || taken(item.id)) return false;
    const heard = wordsOf(chatTextOf(item));
    return heard !== '' && said.startsWith(heard);
  });
}

/**
 * Whether `run`'s speech is surely over though its answer is not among the items `later` than
 * its input: an agent message after a later caller message was committed, and speeches play in
 * order. Then the caller heard none of it (agents-js commits nothing for an answer cut before
 * its first word).
 */
function conversationMovedOn(run: RunRecord, later: readonly ChatItem[]): boolean {
  const nextTurn = later.findIndex((item) => isUserMessage(item) && !run.given.has(item.id));
  return (
    nextTurn >= 0 &&
    later.slice(nextTurn + 1).some((item) => item.type === 'message' && item.role === 'assistant')
  );
}

/** The index in `items` just after the last item `run` had been given. */
function endOfInput(run: RunRecord, items: readonly ChatItem[]): number {
  let end = 0;
  for (const [index, item] of items.entries()) if (run.given.has(item.id)) end = index + 1;
  return end;
}

/**
 * The correction `run`'s answer needs, given `heardText` (`undefined`: not known yet, so only a
 * re-transcribed caller message is corrected), or `undefined` when it needs none.
 */
export function correctionOf(
  run: Pick<RunRecord, 'userTexts' | 'spoken' | 'end'>,
  heardText: string | undefined,
  items: readonly ChatItem[],
): AnswerCorrection | undefined {
  const retranscribed = new Map<string, string>();
  for (const item of items) {
    const sent = run.userTexts.get(item.id);
    if (sent !== undefined && chatTextOf(item) !== sent)
      retranscribed.set(item.id, chatTextOf(item));
  }
  const said = spokenTextOf(run.spoken);
  const cut = heardText !== undefined && wordsOf(heardText) !== wordsOf(said);
  const ended = heardText !== undefined && run.end !== undefined;
  if (!cut && !ended && retranscribed.size === 0) return undefined;
  const output = ended ? resultOf(run.end?.callId, items) : undefined;
  return {
    spoken: heardText === undefined ? [] : run.spoken,
    heardText: heardText ?? '',
    end: ended ? run.end : undefined,
    ...(output && { endResult: output }),
    retranscribed,
  };
}

/** What the LiveKit tool of function call `callId` returned, when it returned some text. */
function resultOf(callId: string | undefined, items: readonly ChatItem[]): string | undefined {
  const output = items.find(
    (item): item is llm.FunctionCallOutput =>
      item.type === 'function_call_output' && item.callId === callId,
  )?.output;
  return output?.trim() ? output : undefined;
}
