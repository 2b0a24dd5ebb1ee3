import { MAX_FUTURE_SKEW_MS, MAX_UP_PAYLOAD_BYTES, UpPayload } from '@lumbung/schemas';
import { describe, expect, it } from 'vitest';
import { validateStatus, validateUp } from '../src/validate.ts';

const NOW = Date.UTC(2026, 5, 1, 8, 0, 0);
const v = (payload: string | object) =>
  validateUp(Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload)), NOW);

describe('validateUp', () => {
  it('accepts a good message and turns battery and rssi into readings', () => {
    const r = v({
      seq: 7,
      ts: NOW - 1000,
      readings: { air_temperature: 24.5, relative_humidity: 80 },
      battery: 3.7,
      rssi: -70,
    });
    expect(r).toEqual({
      ok: true,
      seq: 7,
      ts: NOW - 1000,
      readings: { air_temperature: 24.5, relative_humidity: 80, battery: 3.7, rssi: -70 },
      count: 4,
      rejected: [],
    });
  });

  it.each([
    ['bad JSON', '{"seq":1,', 'bad_json'],
    ['not an object', '[1,2,3]', 'invalid_schema'],
    ['seq of wrong type', { seq: 'one', readings: { air_temperature: 1 } }, 'invalid_schema'],
    ['negative seq', { seq: -1, readings: { air_temperature: 1 } }, 'invalid_schema'],
    ['missing readings', { seq: 1 }, 'invalid_schema'],
    ['empty readings', { seq: 1, readings: {} }, 'invalid_schema'],
    ['unknown top-level key', { seq: 1, readings: { air_temperature: 1 }, extra: true }, 'invalid_schema'],
    [
      'ts far in the future',
      { seq: 1, ts: NOW + MAX_FUTURE_SKEW_MS + 1, readings: { air_temperature: 1 } },
      'ts_future',
    ],
    ['ts before 2020 (unset clock)', { seq: 1, ts: 1000, readings: { air_temperature: 1 } }, 'ts_too_old'],
    ['ts not an integer', { seq: 1, ts: NOW - 0.5, readings: { air_temperature: 1 } }, 'invalid_schema'],
  ])('rejects the whole message: %s', (_name, payload, reason) => {
    const r = v(payload as string | object);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toBe(reason);
  });

  it('rejects an oversized payload before parsing it', () => {
    const big = JSON.stringify({ seq: 1, readings: { air_temperature: 1 }, pad: 'x'.repeat(MAX_UP_PAYLOAD_BYTES) });
    const r = v(big);
    expect(r).toMatchObject({ ok: false, reason: 'too_large' });
  });

  it('rejects more than 64 readings', () => {
    const readings = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`m${i}`, 1]));
    expect(v({ seq: 1, readings })).toMatchObject({ ok: false, reason: 'invalid_schema' });
  });

  it('keeps the good readings and reports each bad one with its reason', () => {
    const r = validateUp(
      Buffer.from(
        '{"seq":3,"readings":{"air_temperature":25,"soil_moisture":1e999,"co2":"NaN","relative_humidity":140,"banana":1,"wind_speed":"fast","rainfall":-1e999}}',
      ),
      NOW,
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.readings).toEqual({ air_temperature: 25 });
    expect(r.count).toBe(1);
    const byReason = Object.fromEntries(r.rejected.map((x) => [x.reason, x.metrics]));
    expect(byReason).toEqual({
      not_finite: ['soil_moisture', 'co2', 'rainfall'],
      out_of_range: ['relative_humidity'],
      unknown_metric: ['banana'],
      invalid_value: ['wind_speed'],
    });
  });

  it('rejects an out-of-range battery as a reading, not the message', () => {
    const r = v({ seq: 1, readings: { air_temperature: 20 }, battery: 99 });
    expect(r).toMatchObject({ ok: true, count: 1, rejected: [{ reason: 'out_of_range', metrics: ['battery'] }] });
  });

  it('accepts what the UpPayload contract accepts (no drift from schemas)', () => {
    const samples = [
      { seq: 0, readings: { co2: 400 } },
      { seq: 0xffffffff, ts: NOW, readings: { energy: 12.5, water_volume: 3 }, battery: 0, rssi: -200 },
    ];
    for (const s of samples) {
      expect(UpPayload.safeParse(s).success).toBe(true);
      expect(v(s).ok).toBe(true);
    }
  });
});

describe('validateStatus', () => {
  it('accepts online/offline and rejects anything else', () => {
    expect(validateStatus(Buffer.from('{"state":"online","firmware":"1.2"}')).ok).toBe(true);
    expect(validateStatus(Buffer.from('{"state":"sleeping"}'))).toMatchObject({ ok: false, reason: 'invalid_status' });
    expect(validateStatus(Buffer.from('offline'))).toMatchObject({ ok: false, reason: 'invalid_status' });
  });
});
