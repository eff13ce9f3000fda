/**
 * What the call report reads from the session once the call has ended: the conversation as heard,
 * the `end_call`s executed, token usage, latencies. Pure: session data in, report fields out.
 */
import type { llm } from '@livekit/agents';
import { callTriggerOf } from '../../graph/call-action.js';
import { type Dict, isDict, parseJson } from '../../graph/message-fields.js';
import type {
  HeardLine,
  Percentiles,
  ReportedCallAction,
  ReportedLatency,
  ReportedUsage,
} from './report-types.js';

/**
 * The caller's and the agent's messages, in order. agents-js commits an answer cut by a barge-in
 * or by the end of the call with only what was played, and marks it `interrupted`, so the history
 * at the end of the call is what the caller heard.
 */
export function heardTranscript(items: readonly llm.ChatItem[]): HeardLine[] {
  const lines: HeardLine[] = [];
  for (const item of items) {
    if (item.type !== 'message' || (item.role !== 'user' && item.role !== 'assistant')) continue;
    const text = item.textContent ?? '';
    // an answer cut before any of it was played was not heard at all
    if (!text && item.role === 'assistant') continue;
    lines.push({ role: item.role, text, interrupted: item.interrupted, at: item.createdAt });
  }
  return lines;
}

/** What a call action came to: whether it worked, and why not. */
export interface ActionOutcome {
  ok: boolean;
  error?: string;
}

/**
 * Every `end_call` the session executed, with the reason and trigger the adapter put in its args,
 * and what its hangup reported in `outcomes` (by function call id).
 */
export function endCallActions(
  items: readonly llm.ChatItem[],
  name: string,
  outcomes: ReadonlyMap<string, ActionOutcome> = new Map(),
): ReportedCallAction[] {
  const actions: ReportedCallAction[] = [];
  for (const item of items) {
    if (item.type !== 'function_call' || item.name !== name) continue;
    const args = argsOrNone(item.args);
    const action: ReportedCallAction = { name, at: item.createdAt };
    if (typeof args.reason === 'string' && args.reason) action.reason = args.reason;
    const trigger = callTriggerOf(args.trigger);
    if (trigger) action.trigger = trigger;
    Object.assign(action, outcomes.get(item.callId));
    actions.push(action);
  }
  return actions;
}

/** The arguments of a function call; a model's broken JSON counts as none. */
function argsOrNone(args: string): Dict {
  const parsed = parseJson(args || '{}');
  return isDict(parsed) ? parsed : {};
}

/** One entry of `session.usage.modelUsage`, as far as the report reads it. */
interface ModelUsageEntry {
  type?: string;
  inputTokens?: number;
  inputCachedTokens?: number;
  outputTokens?: number;
}

/**
 * The LLM tokens of the session, summed over its models. `LLMAdapter` reports each run's usage
 * summed over every model call of the graph, and agents-js sums the runs per model
 * (`session.usage`; zero fields are left out there, so a missing one counts as 0).
 */
export function summedUsage(modelUsage: readonly ModelUsageEntry[]): ReportedUsage {
  let inputTokens = 0;
  let cachedInputTokens = 0;
  let outputTokens = 0;
  for (const usage of modelUsage) {
    if (usage.type !== 'llm_usage') continue;
    inputTokens += usage.inputTokens ?? 0;
    cachedInputTokens += usage.inputCachedTokens ?? 0;
    outputTokens += usage.outputTokens ?? 0;
  }
  return { inputTokens, cachedInputTokens, outputTokens, totalTokens: inputTokens + outputTokens };
}

/**
 * Latencies of the agent's answers, from the metrics agents-js puts on each assistant message (in
 * seconds there, in ms here).
 */
export function latencyOf(items: readonly llm.ChatItem[]): ReportedLatency {
  const firstText: number[] = [];
  const endToEnd: number[] = [];
  for (const item of items) {
    if (item.type !== 'message' || item.role !== 'assistant') continue;
    const { llmNodeTtft, e2eLatency } = item.metrics;
    if (llmNodeTtft !== undefined) firstText.push(llmNodeTtft * 1000);
    if (e2eLatency !== undefined) endToEnd.push(e2eLatency * 1000);
  }
  const latency: ReportedLatency = { turns: Math.max(firstText.length, endToEnd.length) };
  const firstTextMs = percentiles(firstText);
  if (firstTextMs) latency.firstTextMs = firstTextMs;
  const endToEndMs = percentiles(endToEnd);
  if (endToEndMs) latency.endToEndMs = endToEndMs;
  return latency;
}

/** p50 and p95 by nearest rank, rounded to 0.1 ms; `undefined` for no values. */
export function percentiles(values: readonly number[]): Percentiles | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) => {
    const value = sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
    return Math.round(value * 10) / 10;
  };
  return { p50: rank(50), p95: rank(95) };
}
