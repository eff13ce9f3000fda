import { llm } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { toLangChainMessages } from '../../src/stream/messages.js';

const {
  ChatMessage,
  FunctionCall,
  FunctionCallOutput,
  AgentHandoffItem,
  AgentConfigUpdate,
  Instructions,
} = llm;

/** The converted messages as plain data: type, id, content, tool calls. */
function convert(items: llm.ChatItem[]) {
  return toLangChainMessages(items).map((message) => ({
    type: message.getType(),
    id: message.id,
    content: message.content,
    ...('tool_calls' in message && (message.tool_calls as unknown[]).length > 0
      ? { toolCalls: message.tool_calls }
      : {}),
    ...('tool_call_id' in message
      ? { toolCallId: message.tool_call_id, status: (message as { status?: string }).status }
      : {}),
  }));
}

describe('toLangChainMessages', () => {
  it.each([
    ['system', 'system'],
    ['developer', 'system'],
    ['user', 'human'],
    ['assistant', 'ai'],
  ] as const)('a %s message becomes a %s message with the same id', (role, type) => {
    expect(convert([ChatMessage.create({ id: 'item_1', role, content: 'text' })])).toEqual([
      { type, id: 'item_1', content: 'text' },
    ]);
  });

  it('joins text parts with newlines, keeps instructions and transcripts, and drops frames', () => {
    const item = ChatMessage.create({
      id: 'm',
      role: 'user',
      content: [
        'first',
        new Instructions({ audio: 'second' }),
        { type: 'audio_content', frame: [], transcript: 'third' },
      ],
    });
    expect(convert([item])).toEqual([{ type: 'human', id: 'm', content: 'first\nsecond\nthird' }]);
  });

  it('turns image URLs into image blocks next to the text', () => {
    const item = ChatMessage.create({
      id: 'm',
      role: 'user',
      content: ['look', llm.createImageContent({ image: 'https://example.com/a.png' })],
    });
    expect(convert([item])).toEqual([
      {
        type: 'human',
        id: 'm',
        content: [
          { type: 'text', text: 'look' },
          { type: 'image_url', image_url: { url: 'https://example.com/a.png' } },
        ],
      },
    ]);
  });

  it('skips messages with no text, handoffs and config updates', () => {
    expect(
      convert([
        ChatMessage.create({ id: 'none', role: 'system', content: [] }),
        ChatMessage.create({ id: 'empty', role: 'system', content: '' }),
        ChatMessage.create({
          id: 'audio',
          role: 'user',
          content: [{ type: 'audio_content', frame: [] }],
        }),
        AgentHandoffItem.create({ newAgentId: 'b' }),
        AgentConfigUpdate.create({ instructions: 'new' }),
        ChatMessage.create({ id: 'kept', role: 'user', content: 'hi' }),
      ]),
    ).toEqual([{ type: 'human', id: 'kept', content: 'hi' }]);
  });

  it('attaches function calls to the assistant message before them, and outputs as tool messages', () => {
    expect(
      convert([
        ChatMessage.create({ id: 'u', role: 'user', content: 'where is my order?' }),
        ChatMessage.create({ id: 'a', role: 'assistant', content: 'Let me check.' }),
        FunctionCall.create({
          id: 'fc1',
          callId: 'call_1',
          name: 'lookup',
          args: '{"order":"42"}',
        }),
        FunctionCall.create({ id: 'fc2', callId: 'call_2', name: 'weather', args: '' }),
        FunctionCallOutput.create({
          id: 'out1',
          callId: 'call_1',
          name: 'lookup',
          output: 'shipped',
          isError: false,
        }),
        FunctionCallOutput.create({
          id: 'out2',
          callId: 'call_2',
          name: 'weather',
          output: 'boom',
          isError: true,
        }),
      ]),
    ).toEqual([
      { type: 'human', id: 'u', content: 'where is my order?' },
      {
        type: 'ai',
        id: 'a',
        content: 'Let me check.',
        toolCalls: [
          { id: 'call_1', name: 'lookup', args: { order: '42' }, type: 'tool_call' },
          { id: 'call_2', name: 'weather', args: {}, type: 'tool_call' },
        ],
      },
      { type: 'tool', id: 'out1', content: 'shipped', toolCallId: 'call_1', status: 'success' },
      { type: 'tool', id: 'out2', content: 'boom', toolCallId: 'call_2', status: 'error' },
    ]);
  });

  it('gives function calls without preceding text their own empty AI message', () => {
    expect(
      convert([
        ChatMessage.create({ id: 'u', role: 'user', content: 'bye' }),
        FunctionCall.create({ id: 'fc', callId: 'c', name: 'end_call', args: '{"reason":"bye"}' }),
      ]),
    ).toEqual([
      { type: 'human', id: 'u', content: 'bye' },
      {
        type: 'ai',
        id: 'fc',
        content: '',
        toolCalls: [{ id: 'c', name: 'end_call', args: { reason: 'bye' }, type: 'tool_call' }],
      },
    ]);
  });

  it.each([
    ['[1,2]', { value: [1, 2] }],
    ['{not json', { raw: '{not json' }],
  ])('keeps odd arguments %j visible as an object', (args, expected) => {
    const [message] = toLangChainMessages([FunctionCall.create({ callId: 'c', name: 'f', args })]);
    expect((message as { tool_calls?: { args: unknown }[] }).tool_calls?.[0]?.args).toEqual(
      expected,
    );
  });
});

describe('an end_call that left the call up', () => {
  const endCall = FunctionCall.create({
    id: 'fc',
    callId: 'c',
    name: 'end_call',
    args: '{"reason":"bye"}',
  });
  const emptyOutput = FunctionCallOutput.create({
    id: 'o',
    callId: 'c',
    name: 'end_call',
    output: '',
    isError: false,
  });
  const toolContent = (items: llm.ChatItem[]) =>
    toLangChainMessages(items).find((m) => m.getType() === 'tool')?.content;

  it('reads as "not ended" once the caller spoke again', () => {
    const items = [
      ChatMessage.create({ role: 'assistant', content: 'Goodbye!', interrupted: true }),
      endCall,
      emptyOutput,
      ChatMessage.create({ role: 'user', content: 'wait' }),
    ];
    expect(toolContent(items)).toMatch(
      /^The caller interrupted the goodbye, so the call was NOT ended/,
    );
  });

  it('stays empty while nothing followed it, and keeps an output the hangup wrote', () => {
    expect(toolContent([endCall, emptyOutput])).toBe('');
    const written = FunctionCallOutput.create({
      callId: 'c',
      name: 'end_call',
      output: 'custom',
      isError: false,
    });
    expect(
      toolContent([endCall, written, ChatMessage.create({ role: 'user', content: 'hi' })]),
    ).toBe('custom');
  });

  it('marks keys from forwardDtmf() so the graph can tell them from speech', () => {
    const [keys, said] = toLangChainMessages([
      ChatMessage.create({ role: 'user', content: '1234', extra: { dtmf: true } }),
      ChatMessage.create({ role: 'user', content: '1234' }),
    ]);
    expect([keys?.content, keys?.additional_kwargs]).toEqual(['1234', { dtmf: true }]);
    expect(said?.additional_kwargs).toEqual({});
  });
});
