/**
 * The per-test life of a local stand-in server (the RoomService and SIP Twirp stubs): a fresh one
 * before each test of the suite, closed after it.
 */
import { afterEach, beforeEach } from 'vitest';

/** Registers the hooks; returns the current test's stand-in, which throws outside a test. */
export function useStandIn<T extends { close(): Promise<void> }>(
  owner: string,
  start: () => Promise<T>,
  reset: () => void = () => {},
): () => T {
  let current: T | undefined;
  beforeEach(async () => {
    current = await start();
    reset();
  });
  afterEach(() => current?.close());
  return () => {
    if (!current) throw new Error(`${owner}: used outside a test`);
    return current;
  };
}
