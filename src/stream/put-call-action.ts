/**
 * How a call action reaches LiveKit: one `FunctionCall` of the same name, which the agent's tool
 * (`hangupTool`, `transferTool`, `dtmfTool`) carries out after the words before it were heard.
 */
import { randomUUID } from 'node:crypto';
import { llm, log } from '@livekit/agents';
import { SEND_DTMF } from '../graph/dtmf.js';
import { END_CALL } from '../graph/end-call.js';
import { TRANSFER_CALL, transferReason } from '../graph/transfer.js';
import type { RunEnd } from '../memory/records.js';
import { actionArgs, type CallAction } from './call-actions.js';
import type { ChunkWriter } from './chunk-writer.js';

/** The LiveKit-side tool that carries out each call action, as the warning for a missing one names it. */
const TOOL_FACTORIES: Readonly<Record<CallAction['name'], string>> = {
  [END_CALL]: 'hangupTool()',
  [TRANSFER_CALL]: 'transferTool({ destinations })',
  [SEND_DTMF]: 'dtmfTool()',
};

/**
 * Puts `action` as a function call for the agent's tool of the same name (warning when the agent
 * has none); returns how it ends the call, to correct the thread if the call stays up.
 */
export function putCallAction(
  action: CallAction,
  writer: ChunkWriter,
  tools: llm.ToolContext | undefined,
): RunEnd | undefined {
  if (action.dropped) {
    log().warn(
      { action: action.name, trigger: action.trigger },
      'the graph asked to end or transfer the call again in the same run; only the first request is carried out',
    );
    return undefined;
  }
  if (!tools?.functionTools[action.name]) {
    log().warn(
      { action: action.name, trigger: action.trigger },
      `the graph asked for ${action.name}, but the agent has no such tool: register \`tools: { ${action.name}: ${TOOL_FACTORIES[action.name]} }\``,
    );
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
    reason: action.name === END_CALL ? action.reason : (action.reason ?? transferReason(action.to)),
    ...(action.toolCallId !== undefined && { toolCallId: action.toolCallId }),
  };
}
