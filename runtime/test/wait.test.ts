import { describe, expect, it } from 'vitest';
import { waitFor } from '../src/index.ts';

describe('waitFor', () => {
  it('returns the first value that is not undefined or false', async () => {
    let n = 0;
    expect(await waitFor('n to reach 3', () => (++n >= 3 ? n : undefined), 1000, 1)).toBe(3);
  });

  it('times out naming what it waited for and the last error', async () => {
    await expect(
      waitFor(
        'the moon',
        () => {
          throw new Error('not risen');
        },
        50,
        5,
      ),
    ).rejects.toThrow(/waiting for the moon: not risen/);
  });
});
