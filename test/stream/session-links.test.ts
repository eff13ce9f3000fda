import { llm, voice } from '@livekit/agents';
import { describe, expect, it } from 'vitest';
import { SessionLinks } from '../../src/stream/session-links.js';

/** A started text-mode session whose agent uses `model`; closed by the test. */
async function sessionWith(model: llm.LLM) {
  const session = new voice.AgentSession({ llm: model });
  await session.start({ agent: new voice.Agent({ instructions: 'help' }) });
  return session;
}

/** What agents-js emits when it creates a reply. */
function replyCreated(session: voice.AgentSession, source: 'generate_reply' | 'say') {
  const speechHandle = voice.SpeechHandle.create();
  session.emit(voice.AgentSessionEventTypes.SpeechCreated, {
    type: 'speech_created',
    userInitiated: false,
    source,
    speechHandle,
    createdAt: Date.now(),
  } as never);
  return speechHandle;
}

describe('SessionLinks', () => {
  it("gives each run of a followed session that session's oldest reply, not `say()` speech", async () => {
    const model = new voice.testing.FakeLLM([]) as unknown as llm.LLM;
    const session = await sessionWith(model);
    try {
      const links = new SessionLinks(model, () => {});
      links.attach(session);
      const said = replyCreated(session, 'say');
      const first = replyCreated(session, 'generate_reply');
      const second = replyCreated(session, 'generate_reply');
      const ctx = llm.ChatContext.empty();
      expect([links.claim(ctx, 't'), links.claim(ctx, 't')]).toEqual([first, second]);
      expect(links.claim(ctx, 't')).toBeUndefined();
      expect(said).not.toBe(first);
    } finally {
      await session.close();
    }
  });

  it('claims nothing for a session whose agent uses another LLM', async () => {
    const model = new voice.testing.FakeLLM([]) as unknown as llm.LLM;
    const other = new voice.testing.FakeLLM([]) as unknown as llm.LLM;
    const session = await sessionWith(other);
    try {
      const links = new SessionLinks(model, () => {});
      links.attach(session);
      replyCreated(session, 'generate_reply');
      expect(links.claim(llm.ChatContext.empty(), 't')).toBeUndefined();
    } finally {
      await session.close();
    }
  });

  it('reports the threads of a session once, when it closes', async () => {
    const model = new voice.testing.FakeLLM([]) as unknown as llm.LLM;
    const session = await sessionWith(model);
    const closed: string[][] = [];
    const links = new SessionLinks(model, (_s, threads) => closed.push([...threads]));
    links.attach(session);
    links.claim(llm.ChatContext.empty(), 'thread-a');
    await session.close();
    expect(closed).toEqual([['thread-a']]);
  });
});
