import type { JobContext } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { jobRoomName, roomNameFor } from '../../../src/call/livekit-api/job-room.js';

const job = (connected: string, dispatched?: string) =>
  ({
    room: { name: connected },
    job: { room: dispatched === undefined ? undefined : { name: dispatched } },
  }) as unknown as JobContext;

describe('jobRoomName', () => {
  it.each([
    ['the connected room', job('call-1', 'other'), 'call-1'],
    ['the dispatched room before the room connects', job('', 'call-2'), 'call-2'],
    ['nothing when neither has a name', job('', ''), undefined],
    ['nothing outside a job', undefined, undefined],
  ])('%s', (_name, given, expected) => {
    expect(jobRoomName(given)).toBe(expected);
  });
});

describe('roomNameFor', () => {
  it('prefers the option, falls back to the job, and names the fix without either', () => {
    expect(roomNameFor('hangupTool', 'given', job('call-1'))).toBe('given');
    expect(roomNameFor('hangupTool', undefined, job('call-1'))).toBe('call-1');
    expect(() => roomNameFor('transferTool', undefined, undefined)).toThrow(
      "transferTool: the job's room has no name — pass `roomName`",
    );
  });
});
