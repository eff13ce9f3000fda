import { AIMessage, AIMessageChunk, ToolMessage } from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import { PartClassifier, type StreamEvent } from '../../src/stream/parts.js';

const meta = (node: string) => ({ langgraph_node: node });
const goodbyeWithEndCall = (content: string) =>
  new AIMessage({
    id: 'm1',
    content,
    tool_calls: [{ id: 'call_1', name: 'end_call', args: { reason: 'bye' }, type: 'tool_call' }],
  });
const endCallResult = new ToolMessage({ content: 'The call is ending.', tool_call_id: 'call_1' });
const part = (message: unknown, node: string) => ['messages', [message, meta(node)]];

/** What the classifier makes of a run's parts: spoken text, muted nodes, actions, in order. */
function eventsOf(parts: unknown[]): string[] {
  const classifier = new PartClassifier({ endCallNodes: new Set() });
  return parts
    .flatMap((p) => classifier.classify(p))
    .map((event: StreamEvent) => {
      if (event.kind === 'text') return `say ${event.text}`;
      if (event.kind === 'muted') return `muted ${event.node}`;
      if (event.kind === 'action') return `act ${event.action.name}`;
      return event.kind;
    });
}

describe('what a model says after its own goodbye (AfterGoodbye)', () => {
  it.each([
    [
      'the same node, a later message after the tool result: muted',
      [
        part(goodbyeWithEndCall('Goodbye!'), 'agent'),
        part(endCallResult, 'tools'),
        part(new AIMessage({ id: 'm2', content: 'Anything else?' }), 'agent'),
      ],
      ['say Goodbye!', 'act end_call', 'muted agent'],
    ],
    [
      'streamed: the call in chunks, then a new message of the same node',
      [
        part(new AIMessageChunk({ id: 'm1', content: 'Goodbye!' }), 'agent'),
        part(
          new AIMessageChunk({
            id: 'm1',
            content: '',
            tool_call_chunks: [
              { id: 'call_1', name: 'end_call', args: '{}', index: 0, type: 'tool_call_chunk' },
            ],
          }),
          'agent',
        ),
        part(endCallResult, 'tools'),
        part(new AIMessageChunk({ id: 'm2', content: 'Anything' }), 'agent'),
        part(new AIMessageChunk({ id: 'm2', content: ' else?' }), 'agent'),
      ],
      // reported once per run, however many parts are muted
      ['say Goodbye!', 'act end_call', 'muted agent'],
    ],
    [
      'another node after the tool (a goodbye node of its own): spoken',
      [
        part(goodbyeWithEndCall('Let me close this.'), 'agent'),
        part(endCallResult, 'tools'),
        part(new AIMessage({ id: 'm2', content: 'Goodbye!' }), 'goodbye'),
      ],
      ['say Let me close this.', 'act end_call', 'say Goodbye!'],
    ],
    [
      'nothing said before the call: the next reply is the goodbye, spoken',
      [
        part(goodbyeWithEndCall(''), 'agent'),
        part(endCallResult, 'tools'),
        part(new AIMessage({ id: 'm2', content: 'Goodbye!' }), 'agent'),
      ],
      ['act end_call', 'say Goodbye!'],
    ],
    [
      'endCall() on the custom stream: everything in the run is spoken',
      [
        part(new AIMessage({ id: 'm1', content: 'Goodbye!' }), 'agent'),
        ['custom', { type: 'end' }],
        part(new AIMessage({ id: 'm2', content: 'Take care.' }), 'agent'),
      ],
      ['say Goodbye!', 'act end_call', 'say Take care.'],
    ],
  ])('%s', (_name, parts, expected) => {
    expect(eventsOf(parts)).toEqual(expected);
  });
});
