import {
  AIMessage,
  AIMessageChunk,
  HumanMessage,
  SystemMessage,
  ToolMessage,
} from '@langchain/core/messages';
import { describe, expect, it } from 'vitest';
import type { CallTrigger } from '../../src/graph/call-action.js';
import { DEFAULT_END_REASONS } from '../../src/graph/end-call.js';
import { interruptPrompt } from '../../src/graph/message-fields.js';
import type { PartFilter } from '../../src/stream/node-filter.js';
import { PartClassifier, type StreamEvent } from '../../src/stream/parts.js';

/** The event of an `end_call` action. */
const end = (trigger: CallTrigger, reason: string, toolCallId?: string): StreamEvent => ({
  kind: 'action',
  action: { name: 'end_call', trigger, reason, ...(toolCallId !== undefined && { toolCallId }) },
});

const everyNode: PartFilter = { endCallNodes: new Set() };
const meta = (node: string, extra: Record<string, unknown> = {}) => ({
  langgraph_node: node,
  ...extra,
});

function classifyAll(parts: unknown[], filter: PartFilter = everyNode): StreamEvent[] {
  const classifier = new PartClassifier(filter);
  return [...parts.flatMap((part) => classifier.classify(part)), ...classifier.finish()];
}

describe('PartClassifier', () => {
  it.each([
    [
      'a streamed AI chunk',
      ['messages', [new AIMessageChunk({ id: 'a', content: 'Hi' }), meta('agent')]],
      'Hi',
      'a',
    ],
    [
      'a whole AIMessage',
      ['messages', [new AIMessage({ id: 'b', content: 'Whole' }), meta('agent')]],
      'Whole',
      'b',
    ],
    [
      'text blocks, skipping other blocks',
      [
        'messages',
        [
          new AIMessageChunk({
            id: 'c',
            content: [
              { type: 'text', text: 'One ' },
              { type: 'image_url', image_url: { url: 'https://x/y.png' } },
              { type: 'text', text: 'two' },
            ],
          }),
          meta('agent'),
        ],
      ],
      'One two',
      'c',
    ],
    ['a string on the custom stream', ['custom', 'Please hold.'], 'Please hold.', undefined],
    [
      'a RemoteGraph plain-object chunk',
      ['messages', [{ type: 'AIMessageChunk', id: 'r', content: 'Remote' }, meta('agent')]],
      'Remote',
      'r',
    ],
    [
      'a RemoteGraph plain-object message',
      ['messages', [{ type: 'ai', id: 'r2', content: 'Remote whole' }, meta('agent')]],
      'Remote whole',
      'r2',
    ],
    [
      'a subgraph part (namespace first)',
      [['child:1'], 'messages', [new AIMessageChunk({ id: 's', content: 'Sub' }), meta('inner')]],
      'Sub',
      's',
    ],
  ])('speaks %s, naming the message it came from', (_name, part, text, messageId) => {
    expect(classifyAll([part])).toEqual([
      messageId ? { kind: 'text', text, messageId } : { kind: 'text', text, custom: true },
    ]);
  });

  it.each([
    [
      'a human message',
      ['messages', [new HumanMessage({ id: 'h', content: 'caller words' }), meta('agent')]],
    ],
    [
      'a system message',
      ['messages', [new SystemMessage({ id: 's', content: 'be nice' }), meta('agent')]],
    ],
    [
      'a tool message',
      [
        'messages',
        [
          new ToolMessage({ id: 't', content: '{"order":"shipped"}', tool_call_id: 'x' }),
          meta('tools'),
        ],
      ],
    ],
    [
      'a RemoteGraph tool message',
      [
        'messages',
        [{ type: 'tool', id: 't2', content: 'secret', tool_call_id: 'x' }, meta('tools')],
      ],
    ],
    ['a custom object', ['custom', { progress: 0.5 }]],
    ['an empty custom string', ['custom', '']],
    ['a state update', ['updates', { agent: { messages: [new AIMessage('state')] } }]],
    ['an unknown mode', ['values', { messages: [new AIMessage('values')] }]],
    ['a non-array part', { messages: [] }],
    [
      'tool-call argument chunks',
      [
        'messages',
        [
          new AIMessageChunk({
            id: 'tc',
            content: '',
            tool_call_chunks: [
              {
                id: 'c1',
                name: 'lookup_order',
                args: '{"order":"42"}',
                index: 0,
                type: 'tool_call_chunk',
              },
            ],
          }),
          meta('agent'),
        ],
      ],
    ],
  ])('drops %s', (_name, part) => {
    expect(classifyAll([part])).toEqual([]);
  });

  it('does not speak a whole message again after it was streamed', () => {
    const parts = [
      ['messages', [new AIMessageChunk({ id: 'm1', content: 'Hel' }), meta('agent')]],
      ['messages', [new AIMessageChunk({ id: 'm1', content: 'lo' }), meta('agent')]],
      ['messages', [new AIMessage({ id: 'm1', content: 'Hello' }), meta('agent')]],
      ['messages', [new AIMessage({ id: 'm2', content: 'Next' }), meta('other')]],
      ['messages', [new AIMessage({ id: 'm2', content: 'Next' }), meta('other')]],
    ];
    expect(classifyAll(parts)).toEqual([
      { kind: 'text', text: 'Hel', messageId: 'm1' },
      { kind: 'text', text: 'lo', messageId: 'm1' },
      { kind: 'text', text: 'Next', messageId: 'm2' },
    ]);
  });

  describe('node allowlist', () => {
    const filter: PartFilter = { nodes: new Set(['respond']), endCallNodes: new Set() };
    it.each([
      ['the allowed node', meta('respond'), 'yes'],
      [
        'a node inside a subgraph run by the allowed node',
        meta('inner', { langgraph_checkpoint_ns: 'respond:abc|inner:def' }),
        'yes',
      ],
      ['another node', meta('router'), undefined],
      [
        'a node inside another subgraph',
        meta('inner', { langgraph_checkpoint_ns: 'router:abc|inner:def' }),
        undefined,
      ],
    ])('%s', (_name, metadata, expected) => {
      const events = classifyAll(
        [['messages', [new AIMessageChunk({ id: 'x', content: 'yes' }), metadata]]],
        filter,
      );
      expect(events).toEqual(expected ? [{ kind: 'text', text: expected, messageId: 'x' }] : []);
    });

    it('still ends the call from a silent node', () => {
      const message = new AIMessage({
        id: 'r',
        content: 'routing',
        tool_calls: [{ id: 'c', name: 'end_call', args: { reason: 'done' }, type: 'tool_call' }],
      });
      expect(classifyAll([['messages', [message, meta('router')]]], filter)).toEqual([
        end('tool', 'done', 'c'),
      ]);
    });
  });

  describe('end triggers', () => {
    it.each([
      ['the bare "end" string', 'end', DEFAULT_END_REASONS.signal],
      ['an end object without reason', { type: 'end' }, DEFAULT_END_REASONS.signal],
      ['an end object with reason', { type: 'end', reason: 'resolved' }, 'resolved'],
    ])('a custom %s', (_name, value, reason) => {
      expect(classifyAll([['custom', value]])).toEqual([end('signal', reason)]);
    });

    it('an end_call tool call in a whole AIMessage, after its text', () => {
      const message = new AIMessage({
        id: 'w',
        content: 'Goodbye!',
        tool_calls: [
          { id: 'c', name: 'end_call', args: { reason: 'caller said bye' }, type: 'tool_call' },
        ],
      });
      expect(classifyAll([['messages', [message, meta('agent')]]])).toEqual([
        { kind: 'text', text: 'Goodbye!', messageId: 'w' },
        end('tool', 'caller said bye', 'c'),
      ]);
    });

    it('a streamed end_call tool call, once its arguments are complete', () => {
      const chunk = (fields: ConstructorParameters<typeof AIMessageChunk>[0]) => [
        'messages',
        [new AIMessageChunk(fields), meta('agent')],
      ];
      const parts = [
        chunk({ id: 'm', content: 'Bye now.' }),
        chunk({
          id: 'm',
          content: '',
          tool_call_chunks: [
            { id: 'c', name: 'end_call', args: '{"rea', index: 0, type: 'tool_call_chunk' },
          ],
        }),
        chunk({
          id: 'm',
          content: '',
          tool_call_chunks: [{ args: 'son":"all done"}', index: 0, type: 'tool_call_chunk' }],
        }),
        ['updates', { agent: { messages: [] } }],
      ];
      const classifier = new PartClassifier(everyNode);
      const events = parts.map((part) => classifier.classify(part));
      expect(events).toEqual([
        [{ kind: 'text', text: 'Bye now.', messageId: 'm' }],
        [],
        [],
        [end('tool', 'all done', 'c')],
      ]);
      expect(classifier.finish()).toEqual([]);
    });

    it('a streamed end_call with malformed arguments still ends, with the default reason', () => {
      const part = [
        'messages',
        [
          new AIMessageChunk({
            id: 'm',
            content: '',
            tool_call_chunks: [
              { id: 'c', name: 'end_call', args: '{"reason": ', index: 0, type: 'tool_call_chunk' },
            ],
          }),
          meta('agent'),
        ],
      ];
      expect(classifyAll([part])).toEqual([end('tool', DEFAULT_END_REASONS.tool, 'c')]);
    });

    it('a node with end_call metadata, as soon as it streams', () => {
      const part = [
        'messages',
        [new AIMessageChunk({ id: 'g', content: 'Goodbye.' }), meta('goodbye', { end_call: true })],
      ];
      expect(classifyAll([part])).toEqual([
        end('node', `${DEFAULT_END_REASONS.node}: goodbye`),
        { kind: 'text', text: 'Goodbye.', messageId: 'g' },
      ]);
    });

    it('a named end-call node that streams nothing, when its update arrives', () => {
      const filter: PartFilter = { endCallNodes: new Set(['hangup']) };
      expect(classifyAll([['updates', { hangup: null }]], filter)).toEqual([
        end('node', `${DEFAULT_END_REASONS.node}: hangup`),
      ]);
    });

    it('reports only the first of several triggers', () => {
      const message = new AIMessage({
        id: 'w',
        content: '',
        tool_calls: [{ id: 'c', name: 'end_call', args: {}, type: 'tool_call' }],
      });
      const events = classifyAll(
        [
          ['custom', { type: 'end', reason: 'first' }],
          ['messages', [message, meta('agent')]],
          ['custom', 'end'],
          ['updates', { goodbye: {} }],
        ],
        { endCallNodes: new Set(['goodbye']) },
      );
      expect(events).toEqual([end('signal', 'first')]);
    });

    it('ignores other tool calls', () => {
      const message = new AIMessage({
        id: 'w',
        content: '',
        tool_calls: [{ id: 'c', name: 'lookup_order', args: { reason: 'x' }, type: 'tool_call' }],
      });
      expect(classifyAll([['messages', [message, meta('agent')]]])).toEqual([]);
    });
  });

  it('reports usage_metadata', () => {
    const chunk = new AIMessageChunk({
      id: 'u',
      content: '',
      usage_metadata: {
        input_tokens: 10,
        output_tokens: 4,
        total_tokens: 14,
        input_token_details: { cache_read: 6 },
      },
    });
    expect(classifyAll([['messages', [chunk, meta('agent')]]])).toEqual([
      {
        kind: 'usage',
        usage: {
          inputTokens: 10,
          outputTokens: 4,
          totalTokens: 14,
          cachedInputTokens: 6,
          cacheCreationTokens: 0,
        },
      },
    ]);
  });
});

describe('text from several sources', () => {
  it('reports text as written, with the message it came from (the writer spaces it)', () => {
    const parts = [
      ['messages', [new AIMessageChunk({ id: 'a', content: 'Let me' }), meta('agent')]],
      ['messages', [new AIMessageChunk({ id: 'a', content: ' check.' }), meta('agent')]],
      ['custom', 'One moment.'],
      ['custom', ' Still here.'],
      ['messages', [new AIMessage({ id: 'b', content: 'It shipped.' }), meta('agent')]],
      ['messages', [new AIMessage({ content: 'Bye.\n' }), meta('agent')]],
      ['messages', [new AIMessage({ content: 'Really.' }), meta('agent')]],
    ];
    expect(classifyAll(parts)).toEqual([
      { kind: 'text', text: 'Let me', messageId: 'a' },
      { kind: 'text', text: ' check.', messageId: 'a' },
      { kind: 'text', text: 'One moment.', custom: true },
      { kind: 'text', text: ' Still here.', custom: true },
      { kind: 'text', text: 'It shipped.', messageId: 'b' },
      { kind: 'text', text: 'Bye.\n' },
      { kind: 'text', text: 'Really.' },
    ]);
  });
});

describe('interrupt()', () => {
  const interruptPart = (value: unknown, id = 'i1') => [
    'updates',
    { __interrupt__: [{ id, value }] },
  ];

  it.each([
    ['a string', "What's your account number?", "What's your account number?"],
    ['a question field', { question: ' Your zip code? ' }, 'Your zip code?'],
    ['a message field', { message: 'Say yes to confirm.' }, 'Say yes to confirm.'],
    ['a text field', { text: 'Which store?' }, 'Which store?'],
    ['the first non-empty field', { question: '', message: 'Pick one.' }, 'Pick one.'],
    ['an object without text', { amount: 12 }, undefined],
    ['a blank string', '  ', undefined],
    ['a number', 42, undefined],
  ])('asks with %s', (_name, value, prompt) => {
    expect(interruptPrompt(value)).toBe(prompt);
    expect(classifyAll([interruptPart(value)])).toEqual([
      { kind: 'interrupt', id: 'i1', prompt, value },
    ]);
  });

  it('reports an interrupt once when a subgraph and the root graph both report it', () => {
    const update = { __interrupt__: [{ id: 'same', value: 'Your name?' }] };
    const events = classifyAll([
      [['inner:1'], 'updates', update],
      [[], 'updates', update],
    ]);
    expect(events).toEqual([
      { kind: 'interrupt', id: 'same', prompt: 'Your name?', value: 'Your name?' },
    ]);
  });

  it('reports each of several interrupts, after spoken text', () => {
    const events = classifyAll([
      ['messages', [new AIMessageChunk({ id: 'a', content: 'Sure.' }), meta('agent')]],
      ['updates', { __interrupt__: [{ id: 'x', value: 'First?' }] }],
      ['updates', { __interrupt__: [{ id: 'y', value: 'Second?' }] }],
    ]);
    expect(events.map((e) => (e.kind === 'interrupt' ? e.prompt : e.kind))).toEqual([
      'text',
      'First?',
      'Second?',
    ]);
  });
});

describe('a streamed message whose last tokens never came', () => {
  const chunk = (content: string, usage?: { input: number; output: number }) =>
    new AIMessageChunk({
      id: 'm',
      content,
      usage_metadata: usage && {
        input_tokens: usage.input,
        output_tokens: usage.output,
        total_tokens: usage.input + usage.output,
      },
    });
  const whole = new AIMessage({
    id: 'm',
    content: 'Your order ships today.',
    usage_metadata: { input_tokens: 7, output_tokens: 5, total_tokens: 12 },
  });
  const texts = (events: StreamEvent[]) => events.map((e) => (e.kind === 'text' ? e.text : e.kind));

  it('is completed from the update of its node, and its late chunks are dropped', () => {
    const events = classifyAll([
      ['messages', [chunk('Your'), meta('agent')]],
      ['messages', [chunk(' order'), meta('agent')]],
      ['updates', { agent: { messages: [whole] } }],
      ['messages', [chunk(' ships'), meta('agent')]],
    ]);
    expect(texts(events)).toEqual(['Your', ' order', ' ships today.', 'usage']);
  });

  it('is spoken whole when its first chunk comes only after the update', () => {
    const events = classifyAll([
      ['updates', { agent: { messages: [whole] } }],
      ['messages', [chunk('Your'), meta('agent')]],
      ['messages', [chunk(' order'), meta('agent')]],
    ]);
    expect(texts(events)).toEqual(['Your', ' order ships today.', 'usage']);
  });

  it('is not spoken from an update when no chunk of it ever came (it may be history)', () => {
    expect(classifyAll([['updates', { agent: { messages: [whole] } }]])).toEqual([]);
  });

  it('reports its usage once, from a chunk or else from the whole message', () => {
    const streamedUsage = classifyAll([
      ['messages', [chunk('Your order ships today.', { input: 7, output: 5 }), meta('agent')]],
      ['updates', { agent: { messages: [whole] } }],
    ]);
    expect(texts(streamedUsage)).toEqual(['Your order ships today.', 'usage']);
  });

  it('stays silent when its node is not allowed to speak', () => {
    const events = classifyAll(
      [
        ['messages', [chunk('Your'), meta('router')]],
        ['updates', { router: { messages: [whole] } }],
      ],
      { nodes: new Set(['agent']), endCallNodes: new Set() },
    );
    expect(texts(events)).toEqual(['usage']);
  });

  it('ends the call with the exact reason when the end_call arguments were cut', () => {
    const cut = new AIMessageChunk({
      id: 'm',
      content: '',
      tool_call_chunks: [
        { id: 'c', name: 'end_call', args: '{"reason": "cal', index: 0, type: 'tool_call_chunk' },
      ],
    });
    const complete = new AIMessage({
      id: 'm',
      content: '',
      tool_calls: [{ id: 'c', name: 'end_call', args: { reason: 'caller said bye' } }],
    });
    expect(
      classifyAll([
        ['messages', [cut, meta('agent')]],
        ['updates', { agent: { messages: [complete] } }],
      ]),
    ).toEqual([end('tool', 'caller said bye', 'c')]);
  });
});
