import { llm } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { ThreadLedger } from '../../src/memory/ledger.js';

const user = (text: string) => llm.ChatMessage.create({ role: 'user', content: text });

describe('ThreadTurn.startAttempt', () => {
  it('runs on the head when nothing else ran on the thread since the last turn', () => {
    const ledger = new ThreadLedger();
    const first = ledger.begin('t', [user('hi')]);
    first.storeHead({ checkpointId: 'head', paused: false });
    expect(first.startAttempt()).toBeUndefined();
  });

  it('forks from the anchor while another run of the thread is streaming', () => {
    const ledger = new ThreadLedger();
    const preemptive = ledger.begin('t', [user('I want')]);
    preemptive.storeHead({ checkpointId: 'head', paused: false });
    preemptive.startAttempt();
    const final = ledger.begin('t', [user('I want to cancel')]);
    expect(final.startAttempt()).toBe('head');
  });

  it('forks a retry from where the first attempt started, whatever it wrote', () => {
    const ledger = new ThreadLedger();
    const turn = ledger.begin('t', [user('hi')]);
    turn.storeHead({ checkpointId: 'head', paused: false });
    turn.startAttempt();
    turn.checkpoint('wrote-1', 'head', {});
    turn.endAttempt({ outcome: 'cut', spoken: [] });
    expect(turn.startAttempt()).toBe('head');
    expect(turn.checkpointId()).toBe('head');
  });

  it('always forks when the thread lives on LangGraph Server', () => {
    const ledger = new ThreadLedger({ forkEveryRun: true });
    const turn = ledger.begin('t', [user('hi')]);
    turn.storeHead({ checkpointId: 'head', paused: false });
    expect(turn.startAttempt()).toBe('head');
  });

  it("takes a new thread's first input checkpoint as its anchor", () => {
    const ledger = new ThreadLedger();
    const turn = ledger.begin('t', [user('hi')]);
    turn.storeHead({ checkpointId: undefined, paused: false });
    expect(turn.startAttempt()).toBeUndefined();
    turn.checkpoint('input', undefined, {});
    turn.checkpoint('answer', 'input', { messages: [] });
    expect(turn.checkpointId()).toBe('input');
  });
});
