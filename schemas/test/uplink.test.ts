import { pack } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { BatchDecodeError, decodeBatch, encodeBatch, type UplinkBatch } from '../src/index.ts';

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
    expect(() => decodeBatch(infinite)).toThrow(/Infinity/);
  });
});
