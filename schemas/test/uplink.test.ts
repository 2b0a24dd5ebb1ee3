import { Packr, pack, unpack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import {
  BatchDecodeError,
  decodeBatch,
  decodeBatchWire,
  encodeBatch,
  type UplinkBatch,
  UplinkBatchWire,
} from '../src/index.ts';

const batch: UplinkBatch = {
  batchId: 'box-1:42',
  edgeId: 'box-1',
  createdAt: 1_763_800_000_500,
  readings: [
    { deviceId: 'ws-1', metric: 'air_temperature', ts: 1_763_800_000_000, tsSource: 'device', value: 27.4, seq: 9 },
    { deviceId: 'ws-1', metric: 'relative_humidity', ts: 1_763_800_000_000, tsSource: 'device', value: 81, seq: 9 },
    {
      deviceId: 'room-2',
      metric: 'air_temperature',
      ts: 1_763_800_000_250,
      tsSource: 'edge',
      value: -0.5,
      seq: 4_294_967_295,
    },
  ],
};

describe('uplink batch codec', () => {
  it('round-trips every field', () => {
    expect(decodeBatch(encodeBatch(batch))).toEqual(batch);
  });

  it('rejects bytes that are not MessagePack', () => {
    // 0x93 announces a 3-element array that never comes: truncated MessagePack.
    expect(() => decodeBatch(Buffer.from([0x93, 0x01]))).toThrow(
      expect.objectContaining({ reason: 'bad_encoding' }) as unknown as Error,
    );
    expect(() => decodeBatch(Buffer.from('{"json":true}'))).toThrow(BatchDecodeError);
  });

  it('rejects a structurally invalid batch with a reason', () => {
    const bad = pack({ v: 1, id: 'x', edge: 'box-1', at: 1, dev: ['a'], met: ['m'], r: [[0, 5, 1, 0, 1, 1]] });
    expect(() => decodeBatch(bad)).toThrow(/index out of range/);
    const wrongType = pack({
      v: 1,
      id: 'x',
      edge: 'box-1',
      at: 1,
      dev: ['a'],
      met: ['m'],
      r: [[0, 0, 'now', 0, 1, 1]],
    });
    expect(() => decodeBatch(wrongType)).toThrow(BatchDecodeError);
    const infinite = pack({
      v: 1,
      id: 'x',
      edge: 'box-1',
      at: 1,
      dev: ['a'],
      met: ['m'],
      r: [[0, 0, 1, 0, Infinity, 1]],
    });
    expect(() => decodeBatch(infinite)).toThrow(/not finite/);
  });
});

describe('decodeBatchWire: the hand-written check of UplinkBatchWire', () => {
  const NOW = Date.UTC(2025, 5, 1);
  const packr = new Packr({ useRecords: false, mapsAsObjects: true });
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

  /** The zod contract's verdict: 'ok', or the reason decodeBatchWire must give. */
  function contractVerdict(p: Uint8Array): string {
    let raw: unknown;
    try {
      raw = unpack(p);
    } catch {
      return 'bad_encoding';
    }
    const parsed = UplinkBatchWire.safeParse(raw);
    if (!parsed.success) return 'invalid_batch';
    const w = parsed.data;
    return w.r.every(([d, m]) => d < w.dev.length && m < w.met.length) ? 'ok' : 'invalid_batch';
  }
  function fastVerdict(p: Uint8Array): string {
    try {
      decodeBatchWire(p);
      return 'ok';
    } catch (err) {
      expect(err).toBeInstanceOf(BatchDecodeError);
      return (err as BatchDecodeError).reason;
    }
  }

  const cases: [string, Uint8Array][] = [
    ['truncated', Buffer.from([0x93, 0x01])],
    ['not an object', packr.pack([1, 2, 3])],
    ['null', packr.pack(null)],
    ['v 2', wire({ v: 2 })],
    ['empty id', wire({ id: '' })],
    ['long id', wire({ id: 'x'.repeat(81) })],
    ['bad edge id', wire({ edge: 'Box A' })],
    ['at 0', wire({ at: 0 })],
    ['at fraction', wire({ at: 1.5 })],
    ['dev empty', wire({ dev: [] })],
    ['dev bad id', wire({ dev: ['a/b'] })],
    ['met empty', wire({ met: [] })],
    ['met too long', wire({ met: ['m'.repeat(64)] })],
    ['r empty', wire({ r: [] })],
    ['r not array', wire({ r: 'x' })],
    ['r too long', wire({ r: Array.from({ length: 50_001 }, () => [0, 0, NOW, 0, 20, 1]) })],
    ['tuple short', wire({ r: [[0, 0, NOW, 0, 20]] })],
    ['tuple long', wire({ r: [[0, 0, NOW, 0, 20, 1, 9]] })],
    ['device index out of range', wire({ r: [[1, 0, NOW, 0, 20, 1]] })],
    ['metric index negative', wire({ r: [[0, -1, NOW, 0, 20, 1]] })],
    ['ts 0', wire({ r: [[0, 0, 0, 0, 20, 1]] })],
    ['ts fraction', wire({ r: [[0, 0, NOW + 0.5, 0, 20, 1]] })],
    ['src 2', wire({ r: [[0, 0, NOW, 2, 20, 1]] })],
    ['value string', wire({ r: [[0, 0, NOW, 0, '20', 1]] })],
    ['value NaN is a bad reading, not a bad batch', wire({ r: [[0, 0, NOW, 0, Number.NaN, 1]] })],
    ['seq negative', wire({ r: [[0, 0, NOW, 0, 20, -1]] })],
    ['seq too big', wire({ r: [[0, 0, NOW, 0, 20, 2 ** 32]] })],
    ['extra key is fine', wire({ extra: true })],
    ['valid', wire({})],
  ];
  it.each(cases)('agrees with the zod contract on: %s', (_name, payload) => {
    expect(fastVerdict(payload)).toBe(contractVerdict(payload));
  });

  it('decodeBatch refuses a batch with a non-finite value, decodeBatchWire passes it on', () => {
    const payload = wire({ r: [[0, 0, NOW, 0, Number.NEGATIVE_INFINITY, 1]] });
    expect(decodeBatchWire(payload).r[0]![4]).toBe(Number.NEGATIVE_INFINITY);
    expect(() => decodeBatch(payload)).toThrow(/not finite/);
  });
});
