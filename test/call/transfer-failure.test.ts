import { SipCallError, TwirpError } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { ActionTimeoutError } from '../../src/call/speak-then-act/failures.js';
import { describeTransferFailure } from '../../src/call/transfer-failure.js';

const sipError = (code: string, status: string) =>
  new SipCallError('Service Unavailable', 'transfer failed', 503, 'unavailable', {
    sip_status_code: code,
    sip_status: status,
  });

describe('describeTransferFailure', () => {
  it.each([
    ['486 Busy Here', sipError('486', 'Busy Here'), 'the line was busy', 'theirs'],
    ['480 no answer', sipError('480', 'Temporarily Unavailable'), 'nobody answered', 'theirs'],
    ['603 Decline', sipError('603', 'Decline'), 'the call was declined', 'theirs'],
    ['404 Not Found', sipError('404', 'Not Found'), 'the number could not be reached', 'theirs'],
    [
      'an unusual SIP answer',
      sipError('488', 'Not Acceptable Here'),
      'the phone network refused it (SIP 488 Not Acceptable Here)',
      'theirs',
    ],
    [
      'the deadline',
      new ActionTimeoutError('transferTool: the transfer request did not finish within 10000 ms'),
      'nobody answered in time',
      'theirs',
    ],
    [
      '401',
      new TwirpError('Unauthorized', 'invalid token', 401, 'unauthenticated'),
      'our phone system refused the request (a setup problem on our side)',
      'ours',
    ],
    [
      'a participant that is gone',
      new TwirpError('Not Found', 'no participant', 404, 'not_found'),
      'our phone system could not find this call to transfer',
      'ours',
    ],
    [
      'a network error',
      new TypeError('fetch failed'),
      'our phone system could not be reached',
      'ours',
    ],
    [
      'a 500',
      new TwirpError('Internal', 'boom', 500, 'internal'),
      'our phone system reported an error (500)',
      'ours',
    ],
  ])('%s → "%s" (%s fault)', (_name, error, words, fault) => {
    expect(describeTransferFailure(error)).toEqual({ words, fault });
  });
});
