/**
 * How a call action reaches LiveKit: one `FunctionCall` of the same name, which the agent's tool
 * (`hangupTool`, `transferTool`, `dtmfTool`) carries out after the words before it were heard.
 */
import { randomUUID } from 'node:crypto';
import { llm, log } from '@livekit/agents';
import { SEND_DTMF } from '../graph/dtmf.js';
import { END_CALL } from '../graph/end-call.js';
import type { RunEnd } from '../memory/records.js';
import { actionArgs, type CallAction } from './call-actions.js';
import type { ChunkWriter } from './chunk-writer.js';

/**
 * Puts `action` as a function call for the agent's tool of the same name; returns how it ends the
 * call, to correct the thread if the call stays up. An action the agent has no tool for is not
 * put but handed to `unavailable` (see unavailable-actions.ts); without `tools` (a caller of
 * `chat()` that gave none) the agent's tools are unknown, and the action is put.
 */
export function putCallAction(
  action: CallAction,
  writer: ChunkWriter,
  tools: llm.ToolContext | undefined,
  unavailable?: (action: CallAction) => void,
): RunEnd | undefined {
  if (action.dropped) {
    log().warn(
      { action: action.name, trigger: action.trigger },
      'the graph asked to end or transfer the call again in the same run; only the first request is carried out',
    );
    return undefined;
  }
  if (tools && !tools.functionTools[action.name]) {
    unavailable?.(action);
    return undefined;
  }
  const callId = `${action.name}_${randomUUID()}`;
  writer.toolCall(
    llm.FunctionCall.create({
      callId,
      name: action.name,
      args: JSON.stringify(actionArgs(action)),
    }),
  );
  if (action.name === SEND_DTMF) return undefined;
  // a call that is still up after this run ended or transferred it gets corrected in the thread
  return {
    callId,
    name: action.name,
    reason:
      action.name === END_CALL ? action.reason : (action.reason ?? `transfer to ${action.to}`),
    ...(action.toolCallId !== undefined && { toolCallId: action.toolCallId }),
  };
}
