/**
 * What a run's stream tells besides what is spoken: the nodes running (to name the one that
 * failed or hung) and, for `input: 'latest'`, the run's own checkpoints.
 */
import { fromSubgraph, partMode, partPayload } from '../graph/message-fields.js';
import type { ThreadTurn } from '../memory/turn.js';

/** Follows the `tasks` stream mode: the nodes running now, to name the one that failed or hung. */
export function trackTask(part: unknown, tasks: Map<string, string>): void {
  if (!Array.isArray(part) || partMode(part) !== 'tasks') return;
  const payload = partPayload(part);
  if (typeof payload !== 'object' || payload === null) return;
  const task = payload as { id?: unknown; name?: unknown; input?: unknown; error?: unknown };
  if (typeof task.id !== 'string' || typeof task.name !== 'string') return;
  // a task's start carries its input; its end, its result (or error) — an error must stay named
  if ('input' in task) tasks.set(task.id, task.name);
  else if (!task.error) tasks.delete(task.id);
}

/** Follows the `checkpoints` stream mode: the run's own checkpoints in the root graph. */
export function trackCheckpoint(part: unknown, thread: Pick<ThreadTurn, 'checkpoint'>): void {
  if (!Array.isArray(part) || partMode(part) !== 'checkpoints' || fromSubgraph(part)) return;
  const payload = partPayload(part) as {
    values?: { messages?: unknown };
    config?: { configurable?: { checkpoint_id?: unknown } };
    parentConfig?: { configurable?: { checkpoint_id?: unknown } };
    parent_config?: { configurable?: { checkpoint_id?: unknown } };
  };
  const id = payload?.config?.configurable?.checkpoint_id;
  // a local graph says `parentConfig`, LangGraph Server `parent_config`
  const parentId = (payload?.parentConfig ?? payload?.parent_config)?.configurable?.checkpoint_id;
  if (typeof id !== 'string') return;
  const messages = payload.values?.messages;
  thread.checkpoint(id, typeof parentId === 'string' ? parentId : undefined, {
    messages: Array.isArray(messages) ? messages : undefined,
  });
}
