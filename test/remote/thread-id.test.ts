import { describe, expect, it } from 'vitest';
import { remoteThreadId } from '../../src/index.js';
import { REMOTE_THREAD_NAMESPACE, uuidV5 } from '../../src/remote/thread-id.js';

describe('remoteThreadId', () => {
  // expected values from Python: uuid.uuid5(uuid.UUID(REMOTE_THREAD_NAMESPACE), name)
  it.each([
    ['call-123', '5f1ffcde-750b-5943-b58f-446a87cd15d0'],
    ['sip-+15551234567', '304a52d8-75fe-5155-a710-b94371a2343c'],
    ['Zürich room', '49ee63a1-6db4-5a9e-b36e-66a8d25646f5'],
  ])('maps the room name %j to its UUIDv5', (name, uuid) => {
    expect(remoteThreadId(name)).toBe(uuid);
  });

  it.each(['0be8f5cb-c597-50e8-ad15-798d9b4a0982', '0BE8F5CB-C597-50E8-AD15-798D9B4A0982'])(
    'keeps the UUID %s as it is',
    (uuid) => {
      expect(remoteThreadId(uuid)).toBe(uuid);
    },
  );

  it('derives its namespace from the package URL, as RFC 9562 UUIDv5 does', () => {
    const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
    expect(uuidV5('https://www.npmjs.com/package/livekit-langgraph', URL_NAMESPACE)).toBe(
      REMOTE_THREAD_NAMESPACE,
    );
    // the RFC's own example (DNS namespace)
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe(
      '886313e1-3b8a-5372-9b90-0c9aee199e5d',
    );
  });
});
