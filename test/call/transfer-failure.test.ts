import { SipCallError, TwirpError } from 'livekit-server-sdk';
import { describe, expect, it } from 'vitest';
import { ActionTimeoutError } from '../../src/call/speak-then-act/failures.js';
import { describeTransferFailure } from '../../src/call/transfer-failure.js';

// as livekit-server v1.13.5 reports a destination's SIP answer (fixtures/sip-server.ts)
const sipError = (code: string, status: string) =>
  new SipCallError(
    'Too Many Requests',
    `twirp error unknown: call transfer failed: sip status: ${code}: ${status}`,
    429,
    'resource_exhausted',
    { sip_status_code: code, sip_status: status },
  );

describe('describeTransferFailure', () => {
  it.each([
    ['486 Busy Here', sipError('486', 'Busy Here'), 'the line was busy', 'theirs'],
    ['480 no answer', sipError('480', 'Temporarily Unavailable'), 'nobody answered', 'theirs'],
    ['603 Decline', sipError('603', 'Decline'), 'the call was declined', 'theirs'],
    [
      "403 Forbidden: the caller's phone line refused the REFER",
      new SipCallError(
        'Forbidden',
        'twirp error unknown: sip status: 403: Forbidden',
        403,
        'permission_denied',
        { sip_status_code: '403', sip_status: 'Forbidden' },
      ),
      'the phone network refused the transfer',
      'ours',
    ],
    [
      "LiveKit's ringing timeout (no answer, or no NOTIFY after the REFER)",
      new TwirpError(
        'Request Timeout',
        'twirp error unknown: request timed out',
        408,
        'deadline_exceeded',
      ),
      'nobody answered in time',
      'theirs',
    ],
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
      new TwirpError(
        'Not Found',
        'twirp error unknown: participant does not exist',
        404,
        'not_found',
      ),
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
      'no SIP bridge to carry it',
      new TwirpError(
        'Service Unavailable',
        'twirp error unknown: no response from servers',
        503,
        'unavailable',
      ),
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
