/**
 * What is said in the lab's calls: the agent's lines (which the caller must hear, word by word)
 * and the caller's lines (the script the lab's STT reads out, one per utterance).
 */

/** The scenarios a lab job can run; the dispatch's metadata names one. */
export type ScenarioName =
  | 'answer'
  | 'goodbye'
  | 'remove'
  | 'keys'
  | 'leave'
  | 'barge-in'
  | 'latency'
  | 'transfer'
  | 'warm-transfer'
  | 'consult-transfer';

/** What the test dispatches: the scenario and its knobs. */
export interface ScenarioSpec {
  scenario: ScenarioName;
  /** `hangupTool`'s drainMs (goodbye, remove); unset keeps the package's default. */
  drainMs?: number;
  /** remove: who is removed (a SIP caller is `sip_<user>`); default `caller`. */
  callerIdentity?: string;
  /** latency: the fake model behind a plain `llm.LLM` instead of `LLMAdapter` around a graph. */
  plain?: boolean;
  /** warm-transfer, consult-transfer: the outbound trunk that reaches the person's phone. */
  sipTrunkId?: string;
}

export const GREETING = 'Hello, how can I help?';

// a. greet and answer
export const ORDER_QUESTION = 'Where is my order?';
export const ONE_MOMENT = 'One moment.';
export const ORDER_ANSWER = 'Your order ships tomorrow.';
/** The order tool's result: tool chatter, never to be spoken. */
export const ORDER_TOOL_RESULT = 'order 42 shipped by acme freight via depot seven';

// b, c. ending the call
export const THANKS = 'That is all thanks.';
export const GOODBYE = 'Thank you for calling, goodbye!';

// d. keys both ways
export const PAY = 'I want to pay my bill.';
export const SENDING_KEYS = 'Sending your keys.';
export const KEYS_OUT = '12#';
export const PIN_QUESTION = 'Enter your pin, then press pound.';
export const KEYS_IN = '42';
/** The graph's answer once resumed with `digits`. */
export const pinAccepted = (digits: string) => `Thanks, pin ${digits} is set.`;

// e, f. a long answer, left or talked over
export const HOURS = 'When are you open?';
export const LONG_ANSWER =
  'The store opens at nine. It closes at five. On Saturday it opens at ten. ' +
  'On Sunday it stays closed. Holidays vary from store to store. Please check our website.';
export const WAIT = 'Wait stop please.';
export const STOPPED = 'Okay, go ahead.';

// a phone line: a cold transfer to a person
export const PERSON_PLEASE = 'Can I talk to a person?';
export const CONNECTING = 'Connecting you now.';
export const LINE_BUSY = 'Sorry, that line is busy.';
/** Where `transfer_call` sends the caller: the lab's second phone. */
export const PERSON_URI = 'sip:person@127.0.0.1:5080';

// g. a warm transfer: the person is briefed before the caller is put through
export const HOLD_ON = 'Please hold while I brief them.';
/** What the person hears first (the task's greeting speech). */
export const BRIEFING = 'Caller needs help with order forty two.';
/** The person's answer to the briefing (the consultation's STT script). */
export const PUT_THROUGH = 'Yes put them through.';
/** The graph's words when the warm transfer failed. */
export const NOT_CONNECTED = 'Sorry, I could not connect you.';
/** What the person says to the caller once they are connected, after a word that may not arrive whole. */
export const PERSON_HELLO = 'Hi, this is Sam speaking.';
export const LEAD_IN = 'Hello.';

// latency
export const HELLO = 'Hello there.';
export const HI = 'Hi.';
