import { describe, expect, it } from 'vitest';
import { DuplicateWindow } from '../src/dedup.ts';

describe('DuplicateWindow', () => {
  it('recognises a retry (same seq and ts) but not a rebooted device (same seq, new ts)', () => {
    const w = new DuplicateWindow();
    w.remember('d', 0, 1000, '{"a":1}');
    expect(w.isDuplicate('d', 0, 1000, '{"a":1}')).toBe(true);
    expect(w.isDuplicate('d', 0, 5000, '{"a":1}')).toBe(false);
    expect(w.isDuplicate('other', 0, 1000, '{"a":1}')).toBe(false);
  });

  it('without device ts compares the readings', () => {
    const w = new DuplicateWindow();
    w.remember('d', 4, undefined, '{"a":1}');
    expect(w.isDuplicate('d', 4, undefined, '{"a":1}')).toBe(true);
    expect(w.isDuplicate('d', 4, undefined, '{"a":2}')).toBe(false);
    expect(w.isDuplicate('d', 4, 1000, '{"a":1}')).toBe(false);
  });

  it('remembers the last 64 messages of a device and can forget one', () => {
    const w = new DuplicateWindow();
    for (let s = 0; s < 100; s++) w.remember('d', s, 1000 + s, 'x');
    expect(w.isDuplicate('d', 35, 1035, 'x')).toBe(false);
    expect(w.isDuplicate('d', 36, 1036, 'x')).toBe(true);
    expect(w.isDuplicate('d', 99, 1099, 'x')).toBe(true);
    w.forget('d', 99);
    expect(w.isDuplicate('d', 99, 1099, 'x')).toBe(false);
  });
});
