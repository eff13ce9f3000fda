import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { type ReportedRoom, watchCallEnd } from '../../../src/call/report/report-room.js';

/** A room as rtc-node's `Room` emits its events. */
const roomOf = () =>
  Object.assign(new EventEmitter(), { name: 'call-1' }) as ReportedRoom & EventEmitter;

describe('watchCallEnd', () => {
  it('tells the caller leaving from another participant, and the room closing', () => {
    const room = roomOf();
    const seen: string[] = [];
    watchCallEnd(room, {
      isCaller: (participant) => participant.identity === 'caller',
      callerLeft: () => seen.push('caller left'),
      closed: () => seen.push('closed'),
    });
    room.emit('participantDisconnected', { identity: 'supervisor' });
    room.emit('participantDisconnected', { identity: 'caller' });
    room.emit('disconnected');
    expect(seen).toEqual(['caller left', 'closed']);
  });

  it('stops listening when told to', () => {
    const room = roomOf();
    const unwatch = watchCallEnd(room, {
      isCaller: () => true,
      callerLeft: () => {},
      closed: () => {},
    });
    expect(room.listenerCount('participantDisconnected') + room.listenerCount('disconnected')).toBe(
      2,
    );
    unwatch();
    expect(room.listenerCount('participantDisconnected') + room.listenerCount('disconnected')).toBe(
      0,
    );
  });
});
