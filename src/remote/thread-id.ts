/**
 * Thread ids on LangGraph Server, which accepts only UUIDs: a room name maps to a stable UUIDv5.
 */
import { createHash } from 'node:crypto';

/**
 * The UUIDv5 namespace of {@link remoteThreadId}: `uuid5(NAMESPACE_URL,
 * 'https://www.npmjs.com/package/livekit-langgraph')`. Fixed forever: changing it would move every
 * call to a new, empty thread.
 */
export const REMOTE_THREAD_NAMESPACE = '984ba69c-bc47-567d-8925-2d3700c3826f';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The thread id LangGraph Server sees for a thread id of the adapter: a UUID stays as it is, any
 * other id (a room name) becomes its UUIDv5 in the namespace
 * `984ba69c-bc47-567d-8925-2d3700c3826f`, because the server accepts only UUIDs. Stable: the same
 * room always maps to the same server thread. Python tools get the same id with
 * `uuid.uuid5(uuid.UUID('984ba69c-bc47-567d-8925-2d3700c3826f'), room)`.
 *
 * @example
 * ```ts
 * import { Client } from '@langchain/langgraph-sdk';
 * import { remoteThreadId } from 'livekit-langgraph';
 *
 * const client = new Client({ apiUrl: 'http://localhost:2024' });
 * const state = await client.threads.getState(remoteThreadId('call-123'));
 * ```
 */
export function remoteThreadId(threadId: string): string {
  return UUID.test(threadId) ? threadId : uuidV5(threadId, REMOTE_THREAD_NAMESPACE);
}

/**
 * RFC 9562 UUIDv5: SHA-1 of the namespace's 16 bytes and the UTF-8 name, version and variant set.
 * @internal
 */
export function uuidV5(name: string, namespace: string): string {
  const hash = createHash('sha1')
    .update(Buffer.from(namespace.replaceAll('-', ''), 'hex'))
    .update(name, 'utf8')
    .digest();
  hash[6] = ((hash[6] as number) & 0x0f) | 0x50;
  hash[8] = ((hash[8] as number) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
