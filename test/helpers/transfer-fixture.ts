/**
 * The per-test setup of transfer tests: a fresh SIP stand-in, the `onTransfer` reports it saw,
 * and `transferTool()`s pointed at it.
 */

import { type SipStub, startSipStub } from '../../fixtures/sip-server.js';
import { type TransferInfo, type TransferToolOptions, transferTool } from '../../src/index.js';
import { useStandIn } from './stand-in.js';

/** The destinations of the transfer tests. */
export const DESTINATIONS = { billing: 'tel:+15105550100', support: 'sip:support@pbx.example.com' };

/** The caller's SIP participant in the transfer tests. */
export const CALLER = 'sip_+15105550199';

export interface TransferFixture {
  /** This test's SIP stand-in. */
  readonly sip: SipStub;
  /** What `onTransfer` of the tools from {@link transferTool} reported, in order. */
  readonly transfers: TransferInfo[];
  /** A `transferTool()` for `roomName` and {@link CALLER} on {@link sip}, recording into {@link transfers}. */
  transferTool(
    options?: Omit<TransferToolOptions, 'destinations' | 'roomName' | 'onTransfer'>,
  ): ReturnType<typeof transferTool>;
}

/** Registers `beforeEach`/`afterEach` hooks that give every test of the suite a fresh fixture. */
export function useTransferFixture(roomName: string): TransferFixture {
  let transfers: TransferInfo[] = [];
  const current = useStandIn('useTransferFixture', startSipStub, () => {
    transfers = [];
  });
  return {
    get sip() {
      return current();
    },
    get transfers() {
      return transfers;
    },
    transferTool: (options = {}) =>
      transferTool({
        drainMs: 0,
        participantIdentity: CALLER,
        sipClient: current().client(),
        ...options,
        destinations: DESTINATIONS,
        roomName,
        onTransfer: (info) => void transfers.push(info),
      }),
  };
}
