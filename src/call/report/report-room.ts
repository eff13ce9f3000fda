/**
 * What the report watches in the call's room: the caller leaving and the room closing, the two
 * clues of an end nobody asked for.
 */

/**
 * @inline
 * The room events the report listens to. A structural type: `@livekit/rtc-node`'s `Room` fits,
 * and this package does not depend on rtc-node itself.
 */
export interface ReportedRoom {
  /** The room's name, reported as `room`. */
  readonly name?: string | undefined;
  /** Listens to a room event (`participantDisconnected`, `disconnected`). */
  on(event: string, listener: (...args: never[]) => void): unknown;
  /** Stops listening. */
  off(event: string, listener: (...args: never[]) => void): unknown;
}

/** rtc-node's `RoomEvent` names the report listens to. */
const ROOM_EVENTS = { left: 'participantDisconnected', closed: 'disconnected' } as const;

/** A participant as the room's `participantDisconnected` event gives it. */
interface LeavingParticipant {
  identity?: string;
  kind?: number;
}

/** What {@link watchCallEnd} reports to. */
export interface CallEndWatcher {
  /** Whether the participant who left is the caller. */
  isCaller(participant: LeavingParticipant): boolean;
  /** The caller left the room. */
  callerLeft(): void;
  /** The agent's room disconnected. */
  closed(): void;
}

/**
 * Listens to `room` for the caller leaving and the room closing.
 *
 * @returns a function that stops listening: the session closes first (RoomIO closes it when the
 * caller leaves), and the room may host more.
 */
export function watchCallEnd(room: ReportedRoom, watcher: CallEndWatcher): () => void {
  const onLeft = (participant: LeavingParticipant) => {
    if (watcher.isCaller(participant)) watcher.callerLeft();
  };
  const onClosed = () => watcher.closed();
  room.on(ROOM_EVENTS.left, onLeft);
  room.on(ROOM_EVENTS.closed, onClosed);
  return () => {
    room.off(ROOM_EVENTS.left, onLeft);
    room.off(ROOM_EVENTS.closed, onClosed);
  };
}
