/**
 * The session type every call-side function takes: the call tools work the same for sessions of
 * any `UserData`, so they take all of them, and say so once, here.
 */
import type { voice } from '@livekit/agents';

/**
 * A `voice.AgentSession` of any `UserData` type. The API docs show the name only (typedoc.json,
 * `intentionallyNotExported`): inlined, it would spell out the whole session class.
 */
// biome-ignore lint/suspicious/noExplicitAny: sessions of any UserData type are ended, transferred and reported alike
export type AnySession = voice.AgentSession<any>;
