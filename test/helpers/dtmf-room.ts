/**
 * Stand-ins for the rooms keys travel through: the agent's local participant exists only in a
 * connected room, so {@link recordingRoom} records `publishDtmf` calls; a caller's keypresses are
 * emitted on a real, unconnected rtc-node `Room` by {@link pressKeys}, as the SDK reports them.
 */
import { type Room, RoomEvent } from '@livekit/rtc-node';

/** Stands in for a connected room's local participant: records each key and when it came. */
export function recordingRoom() {
  const pressed: { code: number; digit: string; at: number }[] = [];
  return {
    pressed,
    room: {
      localParticipant: {
        publishDtmf: async (code: number, digit: string) => {
          pressed.push({ code, digit, at: performance.now() });
        },
      },
    },
  };
}

/** The caller presses `keys` on a real unconnected Room, as rtc-node reports a keypress. */
export function pressKeys(room: Room, keys: string): void {
  for (const key of keys) {
    const code = '0123456789*#ABCD'.indexOf(key);
    room.emit(RoomEvent.DtmfReceived, code, key, {} as never);
  }
}
