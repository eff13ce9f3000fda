/**
 * Which nodes speak and which end the call, read from a part's metadata. Pure.
 */
import type { Dict } from '../graph/message-fields.js';

/** What decides which parts are spoken and which nodes end the call. */
export interface PartFilter {
  /** Speak only text produced by these nodes (or inside subgraphs run by them); `undefined` = every node. */
  nodes?: ReadonlySet<string>;
  /** Nodes that end the call when they run, besides nodes whose metadata has `end_call: true`. */
  endCallNodes: ReadonlySet<string>;
}

/** Whether text streamed with `meta` (a `messages` part's metadata) may be spoken. */
export function speaks(filter: PartFilter, meta: Dict): boolean {
  const allowed = filter.nodes;
  if (allowed === undefined) return true;
  if (typeof meta.langgraph_node === 'string' && allowed.has(meta.langgraph_node)) return true;
  // inside a subgraph, the parent node that runs it counts: "parent:<task id>|child:<task id>"
  const ns = meta.langgraph_checkpoint_ns;
  if (typeof ns !== 'string' || ns === '') return false;
  return ns.split('|').some((segment) => allowed.has(segment.split(':')[0] ?? ''));
}

/** The node that streamed with `meta`, when it is an end-call node (by metadata or by name). */
export function endCallNodeOf(filter: PartFilter, meta: Dict): string | undefined {
  const node = meta.langgraph_node;
  if (typeof node !== 'string') return undefined;
  return meta.end_call === true || filter.endCallNodes.has(node) ? node : undefined;
}
