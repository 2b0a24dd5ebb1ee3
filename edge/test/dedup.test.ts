import { describe, expect, it } from 'vitest';
import { DuplicateWindow } from '../src/dedup.ts';

describe('DuplicateWindow', () => {
  it('recognises a retry (same seq and ts) but not a rebooted device (same seq, new ts)', () => {
    const w = new DuplicateWindow(60_000);
    w.remember('d', 0, 1000, '{"a":1}', 0);
    expect(w.isDuplicate('d', 0, 1000, '{"a":1}', 10)).toBe(true);
    expect(w.isDuplicate('d', 0, 5000, '{"a":1}', 10)).toBe(false);
    expect(w.isDuplicate('other', 0, 1000, '{"a":1}', 10)).toBe(false);
  });

  it('without device ts compares the readings', () => {
    const w = new DuplicateWindow(60_000);
    w.remember('d', 4, undefined, '{"a":1}', 0);
    expect(w.isDuplicate('d', 4, undefined, '{"a":1}', 10)).toBe(true);
    expect(w.isDuplicate('d', 4, undefined, '{"a":2}', 10)).toBe(false);
  });

  it('forgets after the window and beyond the per-device bound', () => {
    const w = new DuplicateWindow(1000, 3);
    w.remember('d', 1, 1, 'x', 0);
    expect(w.isDuplicate('d', 1, 1, 'x', 1001)).toBe(false);
    for (let s = 2; s <= 5; s++) w.remember('d', s, s, 'x', 0);
    expect(w.isDuplicate('d', 2, 2, 'x', 1)).toBe(false);
    expect(w.isDuplicate('d', 5, 5, 'x', 1)).toBe(true);
    w.forget('d', 5);
    expect(w.isDuplicate('d', 5, 5, 'x', 1)).toBe(false);
  });
});
