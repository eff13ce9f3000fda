/**
 * The transfer in audio mode: the handoff line's playout is held by a {@link ControlledAudioOutput},
 * so the test decides when it ends and checks that the transfer request waits for it (+ drainMs),
 * and that a hangup asked for during the transfer does not act as well.
 */
import { describe, expect, it } from 'vitest';
import { withAudioSession } from '../../fixtures/audio.js';
import { transferGraph } from '../../fixtures/graphs.js';
import { startRoomServiceStub } from '../../fixtures/room-service-server.js';
import { waitUntil, withTimeout } from '../../fixtures/session.js';
import { hangupCall, LLMAdapter } from '../../src/index.js';
import { useTransferFixture } from '../helpers/transfer-fixture.js';

const ROOM = 'call-transfer-audio';
const DRAIN_MS = 300;

describe('the transfer in audio mode', () => {
  const room = useTransferFixture(ROOM);

  it('sends TransferSIPParticipant drainMs after the handoff line played, not before', async () => {
    await withAudioSession(
      {
        llm: new LLMAdapter({ graph: transferGraph('support') }),
        tools: { transfer_call: room.transferTool({ drainMs: DRAIN_MS }) },
      },
      async ({ session, output }) => {
        session.generateReply({ userInput: 'a person please' });
        await withTimeout(output.waitForSegment(), 10_000, 'the handoff audio');
        const playedAt = output.finishPlayback();
        const request = await withTimeout(room.sip.nextRequest(), 10_000, 'the transfer request');
        // the first request came drainMs after the playout end: none while the line played
        // (how close to drainMs it comes is a figure for bench/, not a test)
        expect(Number(request.time - playedAt) / 1e6).toBeGreaterThanOrEqual(DRAIN_MS);
        await waitUntil(() => room.transfers.length > 0, 'onTransfer');
        expect(room.transfers[0]?.drainMs).toBeGreaterThanOrEqual(DRAIN_MS);
      },
    );
    expect(room.sip.requests.map((r) => [r.method, r.status, r.body.transferTo])).toEqual([
      ['TransferSIPParticipant', 200, 'sip:support@pbx.example.com'],
    ]);
  });

  it.each([
    ['succeeds: the hangup does nothing', { status: 200, delayMs: 300 } as const, []],
    [
      'fails (no answer in time): the hangup then ends the call, once',
      'hang' as const,
      ['DeleteRoom'],
    ],
  ])('a hangup during a transfer that %s', async (_name, answer, roomRequests) => {
    const roomService = await startRoomServiceStub();
    try {
      await withAudioSession(
        {
          llm: new LLMAdapter({ graph: transferGraph('support') }),
          tools: { transfer_call: room.transferTool({ requestTimeoutMs: 1000 }) },
        },
        async ({ session, output }) => {
          room.sip.respondWith(answer);
          session.generateReply({ userInput: 'a person please' });
          await withTimeout(output.waitForSegment(), 10_000, 'the handoff audio');
          output.finishPlayback();
          await withTimeout(room.sip.nextRequest(), 10_000, 'the transfer request');
          // a max-duration timer fires while LiveKit is still ringing the destination
          const info = await withTimeout(
            hangupCall({ session, roomService: roomService.client(), roomName: ROOM, drainMs: 0 }),
            10_000,
            'the hangup',
          );
          expect(info.action).toBe(roomRequests.length > 0 ? 'delete_room' : 'none');
        },
      );
      expect(roomService.requests.map((r) => r.method)).toEqual(roomRequests);
      expect(room.transfers).toHaveLength(roomRequests.length > 0 ? 0 : 1);
    } finally {
      await roomService.close();
    }
  });
});
