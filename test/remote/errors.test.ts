import { describe, expect, it } from 'vitest';
import {
  explainRemoteError,
  printableUrl,
  RemoteServerError,
  type RequestState,
} from '../../src/remote/errors.js';

const URL = 'http://127.0.0.1:2024';
const waiting: RequestState = { url: URL, answered: false, timedOutAfterMs: undefined };
const streaming: RequestState = { ...waiting, answered: true };

/** An error with a `code`, as Node's system errors and undici's carry. */
const coded = (code: string, message = code) => Object.assign(new Error(message), { code });
const named = (name: string, message: string, options?: ErrorOptions) =>
  Object.assign(new Error(message, options), { name });
const httpError = (status: number) => Object.assign(new Error(`HTTP ${status}: nope`), { status });

const unreachable = (detail: string) =>
  `LangGraph Server at ${URL} is unreachable (${detail}) — check that the server is running ` +
  "(`langgraph dev` locally, or your deployment) and that the RemoteGraph's url is right";
const closed = (detail: string) =>
  `LangGraph Server at ${URL} closed the stream mid-run (${detail}) — check the server's logs: ` +
  'it crashed, restarted or was redeployed';

describe('explainRemoteError', () => {
  it.each<[string, unknown, RequestState, string, boolean]>([
    [
      'a refused connection (the bounded client)',
      named('ConnectFailure', 'could not connect', {
        cause: new TypeError('fetch failed', { cause: coded('ECONNREFUSED') }),
      }),
      waiting,
      unreachable('ECONNREFUSED'),
      true,
    ],
    [
      'an unknown host inside an AggregateError',
      new TypeError('fetch failed', {
        cause: Object.assign(new Error('x'), { errors: [coded('ENOTFOUND')] }),
      }),
      waiting,
      unreachable('ENOTFOUND'),
      true,
    ],
    [
      "the SDK's own ConnectionError, without a cause",
      named('ConnectionError', 'Unable to connect to LangGraph server.'),
      waiting,
      unreachable('Unable to connect to LangGraph server.'),
      true,
    ],
    [
      'a fetch failure without a code',
      new TypeError('fetch failed', { cause: new Error('bad port') }),
      waiting,
      unreachable('bad port'),
      true,
    ],
    [
      'no answer in time',
      new DOMException('no answer', 'TimeoutError'),
      { ...waiting, timedOutAfterMs: 2_000 },
      `LangGraph Server at ${URL} did not answer within 2000 ms — check that the server is ` +
        "running and not overloaded (`langgraph dev` locally, or your deployment) and that the RemoteGraph's url is right",
      true,
    ],
    [
      'a 401',
      httpError(401),
      waiting,
      `LangGraph Server at ${URL} rejected the request (HTTP 401) — check the API key: the ` +
        "RemoteGraph's apiKey, or LANGGRAPH_API_KEY / LANGSMITH_API_KEY",
      false,
    ],
    [
      'a dropped stream',
      new TypeError('terminated', { cause: coded('UND_ERR_SOCKET', 'other side closed') }),
      streaming,
      closed('terminated'),
      true,
    ],
    [
      'reconnects given up (LangGraph Platform)',
      named('MaxReconnectAttemptsError', 'Exceeded maximum SSE reconnection attempts (5)'),
      streaming,
      closed('Exceeded maximum SSE reconnection attempts (5)'),
      true,
    ],
  ])('explains %s', (_, error, state, message, retryable) => {
    const explained = explainRemoteError(error, state) as RemoteServerError;
    expect(explained).toBeInstanceOf(RemoteServerError);
    expect([explained.name, explained.message, explained.retryable]).toEqual([
      'RemoteServerError',
      message,
      retryable,
    ]);
    expect(explained.cause).toBe(error);
  });

  it.each<[string, unknown, RequestState]>([
    ['a graph error the server reported', named('RemoteException', 'boom'), streaming],
    ['a 404 (unknown assistant)', httpError(404), waiting],
    ['a connection failure after the answer', coded('ECONNRESET'), streaming],
    ['a dropped stream before any answer', new TypeError('terminated'), waiting],
    ['a non-Error', 'string thrown', waiting],
  ])('leaves %s as it is', (_, error, state) => {
    expect(explainRemoteError(error, state)).toBe(error);
  });
});

describe('printableUrl', () => {
  it.each([
    ['http://127.0.0.1:2024/', 'http://127.0.0.1:2024'],
    [
      'https://user:secret@my-app.langgraph.app/prefix/?key=abc#x',
      'https://my-app.langgraph.app/prefix',
    ],
    ['not a url with a key in it', '(an unparsable URL)'],
  ])('%s → %s', (url, printed) => {
    expect(printableUrl(url)).toBe(printed);
  });
});
