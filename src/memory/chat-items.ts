/**
 * Readers of LiveKit chat items that the thread bookkeeping needs. Pure.
 */
import type { llm } from '@livekit/agents';

/** Whether a chat item is something the caller said. */
export function isUserMessage(item: llm.ChatItem): boolean {
  return item.type === 'message' && item.role === 'user';
}

/** The text of a chat message, trimmed (`''` for other items). */
export const chatTextOf = (item: llm.ChatItem): string =>
  item.type === 'message' ? (item.textContent ?? '').trim() : '';

/** The ids of `items`, in order. */
export const idsOf = (items: readonly llm.ChatItem[]): string[] => items.map((item) => item.id);
