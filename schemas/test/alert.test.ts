import { describe, expect, it } from 'vitest';
import { DevicePresenceBatch, MAX_PRESENCE_DEVICES } from '../src/index.ts';

const TS = Date.UTC(2026, 0, 1);

describe('DevicePresenceBatch', () => {
  it('accepts online and offline states with the box time', () => {
    const body = {
      devices: [
        { deviceId: 'ws-1', state: 'online', ts: TS },
        { deviceId: 'gudang-t1', state: 'offline', ts: TS + 1 },
      ],
    };
    expect(DevicePresenceBatch.parse(body)).toEqual(body);
  });

  it.each([
    ['no devices', { devices: [] }],
    ['an unknown state', { devices: [{ deviceId: 'ws-1', state: 'unknown', ts: TS }] }],
    ['a device id that is not a topic-safe id', { devices: [{ deviceId: 'WS 1', state: 'online', ts: TS }] }],
    ['a fractional timestamp', { devices: [{ deviceId: 'ws-1', state: 'online', ts: 1.5 }] }],
    ['a missing timestamp', { devices: [{ deviceId: 'ws-1', state: 'online' }] }],
    ['a bare array', [{ deviceId: 'ws-1', state: 'online', ts: TS }]],
  ])('rejects %s', (_what, body) => {
    expect(DevicePresenceBatch.safeParse(body).success).toBe(false);
  });

  it(`holds at most ${MAX_PRESENCE_DEVICES} devices`, () => {
    const item = { deviceId: 'ws-1', state: 'online' as const, ts: TS };
    expect(DevicePresenceBatch.safeParse({ devices: Array(MAX_PRESENCE_DEVICES).fill(item) }).success).toBe(true);
    expect(DevicePresenceBatch.safeParse({ devices: Array(MAX_PRESENCE_DEVICES + 1).fill(item) }).success).toBe(false);
  });
});
