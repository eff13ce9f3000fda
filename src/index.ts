/**
 * livekit-langgraph: use a LangGraph.js graph as the LLM of a LiveKit Agents voice agent, and
 * let the graph end the call.
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
} from './call/report.js';
export {
  END_CALL,
  END_SIGNAL,
  type EndCallOptions,
  type EndSignal,
  endCall,
  endCallTool,
  isEndSignal,
} from './graph/end-call.js';
export { REMOTE_THREAD_NAMESPACE, remoteThreadId } from './remote/thread-id.js';
export type { EndTrigger } from './stream/call-actions.js';
export { LangGraphStream, type StreamableGraph } from './stream/stream.js';
