import { VgpError } from '@vgp/core';
import { describe, expect, it } from 'vitest';
import { loadOnce } from '../../src/libraries.js';

describe('loadOnce (the lazy libraries)', () => {
  it('loads once and keeps what it loaded', async () => {
    let calls = 0;
    const load = loadOnce('a library', async () => ++calls);
    expect(await Promise.all([load(), load()])).toEqual([1, 1]);
    expect(await load()).toBe(1);
    expect(calls).toBe(1);
  });

  it('reports a failed load as a VgpError naming what, and tries again on the next call', async () => {
    let calls = 0;
    const load = loadOnce('the CSV reader (papaparse)', async () => {
      if (++calls === 1) throw new TypeError('Failed to fetch dynamically imported module');
      return 'loaded';
    });
    const first = await load().catch((e: unknown) => e);
    expect(first).toBeInstanceOf(VgpError);
    expect((first as Error).message).toBe(
      'could not load the CSV reader (papaparse) (Failed to fetch dynamically imported module); check the network connection and try again',
    );
    expect(await load()).toBe('loaded');
    expect(calls).toBe(2);
  });
});
