/**
 * livekit-langgraph: use a LangGraph.js graph as the LLM of a LiveKit Agents voice agent, and
 * let the graph control the call: end it, transfer it, press keys, hear keys.
 *
 * Each concern is one factory and its options. The graph side (what runs inside graph nodes,
 * possibly on LangGraph Server) asks for a call action; the LiveKit side carries it out after
 * the caller heard every word before it; the call report tells what happened.
 *
 * @packageDocumentation
 */
// biome-ignore-all assist/source/organizeImports: the exports are grouped by concern, as the comments say

// The adapter: a graph as the agent's LLM.
export {
  type GraphRunConfig,
  LLMAdapter,
  type LLMAdapterOptions,
  type ThreadIdContext,
} from './adapter.js';
export { remoteThreadId } from './remote/thread-id.js';
export type { StreamableGraph } from './stream/stream.js';

// Graph side: what a node or a model uses to ask for a call action.
export type { CallTrigger } from './graph/call-action.js';
export { isDtmfInput, SEND_DTMF, sendDtmf, sendDtmfTool } from './graph/dtmf.js';
export { END_CALL, type EndCallOptions, endCall, endCallTool } from './graph/end-call.js';
export {
  TRANSFER_CALL,
  type TransferCallOptions,
  transferCall,
  transferCallTool,
} from './graph/transfer.js';

// LiveKit side: ending the call (the `end_call` tool, or your own code).
export {
  type HangupAction,
  type HangupCallOptions,
  type HangupInfo,
  type HangupToolOptions,
  hangupCall,
  hangupTool,
} from './call/hangup.js';

// LiveKit side: transferring the call (the `transfer_call` tool).
export { type TransferInfo, type TransferToolOptions, transferTool } from './call/transfer.js';

// LiveKit side: keys pressed by the graph (the `send_dtmf` tool) and by the caller.
export { type DtmfToolOptions, dtmfTool } from './call/dtmf.js';
export { type DtmfForwarding, type ForwardDtmfOptions, forwardDtmf } from './call/forward-dtmf.js';

// The call report: one per call, whatever ended it. `reportCall()` is the one way to receive it;
// `onHangup` / `onTransfer` tell only what that action did, the moment it did it.
export {
  type CallEnding,
  type CallReport,
  type EndedBy,
  type ReportCallOptions,
  type ReportedCallAction,
  type RunningEnd,
  recordCallAction,
  recordCallEnding,
  reportCall,
} from './call/report/report.js';
