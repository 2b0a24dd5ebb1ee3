import { BatchDecodeError, decodeBatch, defaultCatalogue, encodeBatch, type UplinkReading } from '@lumbung/schemas';
import { Packr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { checkBatch } from '../src/decode.ts';

const NOW = Date.UTC(2025, 5, 1);
const opts = { villageId: 'desa-a', catalogue: defaultCatalogue, now: NOW };
const packr = new Packr({ useRecords: false, mapsAsObjects: true });

function batch(n: number, seed = 1): UplinkReading[] {
  let x = seed;
  const rnd = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const metrics = ['air_temperature', 'relative_humidity', 'soil_moisture', 'rainfall'];
  return Array.from({ length: n }, (_, i) => ({
    deviceId: `dev-${Math.floor(rnd() * 20)}`,
    metric: metrics[i % 4]!,
    ts: NOW - Math.floor(rnd() * 86_400_000),
    tsSource: rnd() < 0.9 ? 'device' : 'edge',
    value: Math.round(rnd() * 4000) / 100,
    seq: Math.floor(rnd() * 0xffffffff),
  }));
}

const wire = (over: Record<string, unknown>) =>
  packr.pack({
    v: 1,
    id: 'b1',
    edge: 'box-a',
    at: NOW,
    dev: ['d1'],
    met: ['air_temperature'],
    r: [[0, 0, NOW, 0, 20, 1]],
    ...over,
  });

/** What decodeBatch (zod) says, as 'ok' or the BatchDecodeError reason. */
function schemaVerdict(p: Uint8Array): string {
  try {
    decodeBatch(p);
    return 'ok';
  } catch (err) {
    return (err as BatchDecodeError).reason;
  }
}
function fastVerdict(p: Uint8Array): string {
  try {
    checkBatch(p, opts);
    return 'ok';
  } catch (err) {
    expect(err).toBeInstanceOf(BatchDecodeError);
    return (err as BatchDecodeError).reason;
  }
}

describe('checkBatch: wire check plus per-reading catalogue checks', () => {
  it('returns the same readings as decodeBatch for valid batches', () => {
    for (const seed of [1, 2, 3]) {
      const readings = batch(2000, seed);
      const payload = encodeBatch({ batchId: `b${seed}`, edgeId: 'box-a', createdAt: NOW, readings });
      const viaSchema = decodeBatch(payload);
      const fast = checkBatch(payload, opts);
      expect(fast.batchId).toBe(viaSchema.batchId);
      expect(fast.edgeId).toBe(viaSchema.edgeId);
      expect(fast.createdAt).toBe(viaSchema.createdAt);
      expect(fast.rejected.size).toBe(0);
      expect(fast.readings).toEqual(viaSchema.readings.map(({ seq: _seq, ...r }) => ({ villageId: 'desa-a', ...r })));
    }
  });

  it('refuses what the wire check refuses (cases in schemas/test/uplink.test.ts)', () => {
    expect(fastVerdict(wire({ r: [[1, 0, NOW, 0, 20, 1]] }))).toBe('invalid_batch');
    expect(fastVerdict(Buffer.from([0x93, 0x01]))).toBe('bad_encoding');
    expect(fastVerdict(wire({}))).toBe('ok');
  });

  it('sets aside single readings that decodeBatch would reject with the whole batch (NaN), and catalogue misfits', () => {
    const payload = wire({
      met: ['air_temperature', 'moon_phase'],
      r: [
        [0, 0, NOW, 0, 20, 1],
        [0, 0, NOW + 1, 0, Number.NaN, 2],
        [0, 0, NOW + 2, 0, Number.NEGATIVE_INFINITY, 3],
        [0, 1, NOW + 3, 0, 1, 4],
        [0, 0, NOW + 4, 0, 61, 5],
        [0, 0, NOW + 10 * 60_000, 0, 20, 6],
        [0, 0, Date.UTC(2019, 0, 1), 1, 20, 7],
      ],
    });
    expect(schemaVerdict(payload)).toBe('invalid_batch');
    const r = checkBatch(payload, opts);
    expect(r.total).toBe(7);
    expect(r.readings).toEqual([
      { villageId: 'desa-a', deviceId: 'd1', metric: 'air_temperature', ts: NOW, value: 20, tsSource: 'device' },
    ]);
    expect(Object.fromEntries([...r.rejected].map(([k, v]) => [k, v.count]))).toEqual({
      not_finite: 2,
      unknown_metric: 1,
      out_of_range: 1,
      future_ts: 1,
      ts_before_2020: 1,
    });
    expect(r.rejected.get('unknown_metric')!.sample[0]).toEqual({
      deviceId: 'd1',
      metric: 'moon_phase',
      ts: NOW + 3,
      value: 1,
      seq: 4,
    });
  });
});
