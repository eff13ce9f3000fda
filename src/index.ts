/**
 * livekit-langgraph: use a LangGraph.js graph as the LLM of a LiveKit Agents voice agent, and
 * let the graph control the call: end it, transfer it, press keys, hear keys.
 *
 * @packageDocumentation
 */
export {
  DEFAULT_ERROR_LINE,
  type GraphRunConfig,
  LLMAdapter,
  type LLMAdapterOptions,
  MAX_ERROR_LINES_IN_A_ROW,
  type ThreadIdContext,
} from './adapter.js';
export { type DtmfOptions, type DtmfRoom, dtmfTool } from './call/dtmf.js';
export {
  type DtmfForwarding,
  type DtmfSource,
  type ForwardDtmfOptions,
  forwardDtmf,
} from './call/forward-dtmf.js';
export {
  type HangupAction,
  type HangupCallOptions,
  type HangupInfo,
  type HangupOptions,
  hangupCall,
  hangupTool,
} from './call/hangup.js';
export {
  type CallEnding,
  type CallReport,
  type EndedBy,
  type HeardLine,
  type Percentiles,
  type ReportCallOptions,
  type ReportedCallAction,
  type ReportedLatency,
  type ReportedRoom,
  type ReportedTrigger,
  type ReportedUsage,
  type ReportReceiver,
  type RunningEnd,
  recordCallAction,
  recordCallEnding,
  reportCall,
} from './call/report/report.js';
export {
  type TransferInfo,
  type TransferOptions,
  transferTool,
} from './call/transfer.js';
export {
  DTMF_INPUT,
  DTMF_SIGNAL,
  type DtmfSignal,
  isDtmfInput,
  isDtmfSignal,
  SEND_DTMF,
  sendDtmf,
  sendDtmfTool,
} from './graph/dtmf.js';
export {
  END_CALL,
  END_SIGNAL,
  type EndCallOptions,
  type EndSignal,
  endCall,
  endCallTool,
  isEndSignal,
} from './graph/end-call.js';
export {
  isTransferSignal,
  TRANSFER_CALL,
  TRANSFER_SIGNAL,
  type TransferCallOptions,
  type TransferSignal,
  transferCall,
  transferCallTool,
} from './graph/transfer.js';
export { REMOTE_THREAD_NAMESPACE, remoteThreadId } from './remote/thread-id.js';
export type { EndTrigger } from './stream/call-actions.js';
export { LangGraphStream, type StreamableGraph } from './stream/stream.js';
