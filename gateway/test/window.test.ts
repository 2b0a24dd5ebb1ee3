import { describe, expect, it } from 'vitest';
import { RecentWindow } from '../src/window.ts';

describe('RecentWindow', () => {
  it('forgets the oldest reading first and never holds more than its capacity', () => {
    const w = new RecentWindow(3);
    const s = w.seriesId('v', 'd', 'm');
    for (const ts of [1, 2, 3]) w.add(s, ts);
    w.add(s, 2); // already present: no change of order
    w.add(s, 4);
    expect([1, 2, 3, 4].map((ts) => w.has(s, ts))).toEqual([false, true, true, true]);
    w.add(s, 5);
    expect(w.has(s, 2)).toBe(false);
    expect(w.size).toBe(3);
  });

  it('keeps series apart, including the village', () => {
    const w = new RecentWindow(10);
    const a = w.seriesId('v1', 'd', 'm');
    const b = w.seriesId('v2', 'd', 'm');
    expect(a).not.toBe(b);
    expect(w.seriesId('v1', 'd', 'm')).toBe(a);
    w.add(a, 100);
    expect(w.has(a, 100)).toBe(true);
    expect(w.has(b, 100)).toBe(false);
  });

  it('stays fast when full (eviction is O(1))', () => {
    const w = new RecentWindow(50_000);
    const s = w.seriesId('v', 'd', 'm');
    const t0 = performance.now();
    for (let i = 0; i < 400_000; i++) w.add(s, i);
    // Quadratic eviction took minutes here; linear takes well under a second.
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(w.size).toBe(50_000);
    expect(w.has(s, 399_999)).toBe(true);
    expect(w.has(s, 349_999)).toBe(false);
  });

  it('a capacity of 0 remembers nothing', () => {
    const w = new RecentWindow(0);
    const s = w.seriesId('v', 'd', 'm');
    w.add(s, 1);
    expect(w.has(s, 1)).toBe(false);
  });
});
