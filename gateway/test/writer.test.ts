import type { StoredReading, TimeSeriesStore, WriteResult } from '@lumbung/store';
import { describe, expect, it } from 'vitest';
import { GroupCommitWriter } from '../src/writer.ts';

const r = (ts: number): StoredReading => ({
  villageId: 'v',
  deviceId: 'd',
  metric: 'air_temperature',
  ts,
  value: 1,
  tsSource: 'device',
});
const many = (n: number, base = 0) => Array.from({ length: n }, (_, i) => r(base + i + 1));

/** A store whose writes the test completes by hand (the port's write() contract only). */
function manualStore() {
  const calls: { n: number; resolve: (w: WriteResult) => void; reject: (e: Error) => void }[] = [];
  const store = {
    name: 'manual',
    write: (readings: readonly StoredReading[]) =>
      new Promise<WriteResult>((resolve, reject) => calls.push({ n: readings.length, resolve, reject })),
  } as unknown as TimeSeriesStore;
  return { store, calls };
}

const tick = () => new Promise((res) => setImmediate(res));

describe('GroupCommitWriter', () => {
  it('writes at once when idle, gathers what arrives during a write into the next one', async () => {
    const { store, calls } = manualStore();
    const w = new GroupCommitWriter<string>(store, { maxReadings: 1000, maxDelayMs: 0, retries: 0 });
    const done: string[] = [];
    void w.submit('a', many(10)).then(() => done.push('a'));
    await tick();
    expect(calls.map((c) => c.n)).toEqual([10]);
    void w.submit('b', many(20)).then(() => done.push('b'));
    void w.submit('c', many(30)).then(() => done.push('c'));
    await tick();
    expect(calls).toHaveLength(1);
    expect(w.pendingReadings).toBe(60);
    calls[0]!.resolve({ written: 10, duplicates: 0 });
    await tick();
    expect(done).toEqual(['a']);
    expect(calls.map((c) => c.n)).toEqual([10, 50]);
    calls[1]!.resolve({ written: 50, duplicates: 0 });
    await w.drain();
    expect(done).toEqual(['a', 'b', 'c']);
  });

  it('caps a write at maxReadings, but writes one oversized entry whole', async () => {
    const { store, calls } = manualStore();
    const w = new GroupCommitWriter<string>(store, { maxReadings: 100, maxDelayMs: 0, retries: 0 });
    for (const n of [60, 30, 30, 250]) void w.submit(String(n), many(n));
    await tick();
    calls[0]!.resolve({ written: 90, duplicates: 0 });
    await tick();
    calls[1]!.resolve({ written: 30, duplicates: 0 });
    await tick();
    calls[2]!.resolve({ written: 250, duplicates: 0 });
    await w.drain();
    expect(calls.map((c) => c.n)).toEqual([90, 30, 250]);
  });

  it('waits maxDelayMs for company when idle, unless maxReadings are pending', async () => {
    const { store, calls } = manualStore();
    const w = new GroupCommitWriter<string>(store, { maxReadings: 100, maxDelayMs: 50, retries: 0 });
    void w.submit('a', many(10));
    await new Promise((res) => setTimeout(res, 20));
    expect(calls).toHaveLength(0);
    void w.submit('b', many(90));
    await tick();
    expect(calls.map((c) => c.n)).toEqual([100]);
    calls[0]!.resolve({ written: 100, duplicates: 0 });
    await w.drain();
  });

  it('retries a failed write with the same readings, then rejects after the limit without touching later entries', async () => {
    const { store, calls } = manualStore();
    const failures: boolean[] = [];
    const committed: number[] = [];
    const w = new GroupCommitWriter<string>(
      store,
      { maxReadings: 1000, maxDelayMs: 0, retries: 1, backoffMs: 5 },
      { failed: (_e, _a, willRetry) => failures.push(willRetry), committed: (g) => committed.push(g.readings) },
    );
    const a = w.submit('a', many(10));
    await tick();
    const b = w.submit('b', many(5));
    calls[0]!.reject(new Error('down'));
    await new Promise((res) => setTimeout(res, 20));
    expect(calls.map((c) => c.n)).toEqual([10, 10]);
    calls[1]!.reject(new Error('still down'));
    await expect(a).rejects.toThrow('still down');
    expect(failures).toEqual([true, false]);
    await tick();
    expect(calls.map((c) => c.n)).toEqual([10, 10, 5]);
    calls[2]!.resolve({ written: 5, duplicates: 0 });
    await b;
    expect(committed).toEqual([5]);
    expect(w.lastError).toBeUndefined();
  });

  it('resolves entries even when the committed hook throws (readings are durable)', async () => {
    const { store, calls } = manualStore();
    const hookErrors: string[] = [];
    const w = new GroupCommitWriter<string>(
      store,
      { maxReadings: 1000, maxDelayMs: 0, retries: 3 },
      {
        committed: () => {
          throw new Error('disk full');
        },
        hookFailed: (e) => hookErrors.push(e.message),
      },
    );
    const a = w.submit('a', many(3));
    await tick();
    calls[0]!.resolve({ written: 3, duplicates: 0 });
    await a;
    expect(calls).toHaveLength(1);
    expect(hookErrors).toEqual(['disk full']);
  });
});
