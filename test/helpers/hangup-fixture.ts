/**
 * The per-test setup of hangup tests: a fresh RoomService stand-in, the `onHangup` reports it
 * saw, and `hangupTool()`s pointed at it.
 */

import { type RoomServiceStub, startRoomServiceStub } from '../../fixtures/room-service-server.js';
import { type HangupInfo, type HangupToolOptions, hangupTool } from '../../src/index.js';
import { useStandIn } from './stand-in.js';

export interface HangupFixture {
  /** This test's RoomService stand-in. */
  readonly stub: RoomServiceStub;
  /** What `onHangup` of the tools from {@link hangupTool} reported, in order. */
  readonly hangups: HangupInfo[];
  /**
   * A `hangupTool()` for `roomName` on {@link stub} that records into {@link hangups}. It ends the
   * call right after the goodbye (`drainMs: 0`) unless `options` say otherwise: the drain has its
   * own tests (hangup-audio), and with it the session's `close` (about 0.5 s after the goodbye)
   * could come before `onHangup`, which the tests using this fixture await through `close`.
   */
  hangupTool(
    options?: Omit<HangupToolOptions, 'roomService' | 'roomName' | 'onHangup'>,
  ): ReturnType<typeof hangupTool>;
}

/** Registers `beforeEach`/`afterEach` hooks that give every test of the suite a fresh fixture. */
export function useHangupFixture(roomName: string): HangupFixture {
  let hangups: HangupInfo[] = [];
  const current = useStandIn('useHangupFixture', startRoomServiceStub, () => {
    hangups = [];
  });
  return {
    get stub() {
      return current();
    },
    get hangups() {
      return hangups;
    },
    hangupTool: (options = {}) =>
      hangupTool({
        drainMs: 0,
        ...options,
        roomService: current().client(),
        roomName,
        onHangup: (info) => void hangups.push(info),
      }),
  };
}
