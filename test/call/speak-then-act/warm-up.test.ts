import { describe, expect, it } from 'vitest';
import { warmUpHttp } from '../../../src/call/speak-then-act/warm-up.js';

describe('warmUpHttp', () => {
  it('loads fetch once per process and never fails', async () => {
    const first = warmUpHttp();
    expect(warmUpHttp()).toBe(first);
    await expect(first).resolves.toBeUndefined();
  });
});
