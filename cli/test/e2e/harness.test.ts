import { describe, expect, it } from 'vitest';
import { type Pipeline, type SentMessage, verifyExactlyOnce } from './harness.ts';

// The exactly-once check itself must be able to fail.
describe('verifyExactlyOnce', () => {
  const sent: SentMessage[] = [
    { deviceId: 'd', seq: 0, ts: 1000, temperature: 20, humidity: 50, acked: true },
    { deviceId: 'd', seq: 1, ts: 2000, temperature: 21, humidity: 51, acked: false },
  ];
  const pipeline = (points: Record<string, { ts: number; value: number }[]>) =>
    ({
      devices: [{ id: 'd', secret: '' }],
      storedSeries: async (_d: string, m: string) => points[m] ?? [],
    }) as unknown as Pipeline;

  it('passes when acked readings are stored once and unacked ones at most once', async () => {
    const r = await verifyExactlyOnce(
      pipeline({ air_temperature: [{ ts: 1000, value: 20 }], relative_humidity: [{ ts: 1000, value: 50 }] }),
      sent,
    );
    expect(r.problems).toEqual([]);
  });

  it('reports lost, duplicated, altered and invented readings', async () => {
    const r = await verifyExactlyOnce(
      pipeline({
        air_temperature: [
          { ts: 2000, value: 21 },
          { ts: 2000, value: 21 },
          { ts: 3000, value: 1 },
        ],
        relative_humidity: [{ ts: 1000, value: 49 }],
      }),
      sent,
    );
    expect(r.problems.join('\n')).toMatch(/seq 0 air_temperature acknowledged but not stored/);
    expect(r.problems.join('\n')).toMatch(/ts 2000 stored twice/);
    expect(r.problems.join('\n')).toMatch(/ts 3000 was never sent/);
    expect(r.problems.join('\n')).toMatch(/stored 49, sent 50/);
  });
});
