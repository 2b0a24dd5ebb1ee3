import type { AlertRecord, DeviceHealth, LatestReading, SiteRecord } from '@lumbung/schemas';
import { describe, expect, it } from 'vitest';
import { limitsOf, siteStatus } from '../src/status.ts';
import { sortAlerts, VillageData } from '../src/village.ts';

const room: SiteRecord = {
  id: 'ruang-telur',
  villageId: 'kel-taman',
  kind: 'storage_room',
  name: 'Ruang telur',
  parentId: 'rumah-kemasan',
  plot: null,
  meterPoint: null,
  storageRoom: { purpose: 'eggs', temperature: { min: 10, max: 15 }, humidity: { min: 70, max: 85 } },
};
const reading = (metric: string, value: number): LatestReading => ({
  deviceId: 'taman-th-telur',
  siteId: 'ruang-telur',
  metric,
  unit: metric === 'air_temperature' ? '°C' : '%',
  ts: 1,
  value,
});
const alert = (over: Partial<AlertRecord>): AlertRecord => ({
  id: 'a1',
  key: 'k',
  villageId: 'kel-taman',
  edgeId: null,
  source: 'rule',
  severity: 'warning',
  ruleId: null,
  siteId: 'ruang-telur',
  deviceId: null,
  metric: null,
  value: null,
  message: { id: 'pesan', en: 'message' },
  raisedAt: 1000,
  clearedAt: null,
  status: 'open',
  acknowledgedAt: null,
  acknowledgedBy: null,
  resolvedAt: null,
  resolvedBy: null,
  ...over,
});
const device = (over: Partial<DeviceHealth>): DeviceHealth => ({
  deviceId: 'taman-th-telur',
  siteId: 'ruang-telur',
  family: 'storage_room_sensor',
  revoked: false,
  state: 'online',
  stateAt: 1,
  lastSeen: 1,
  stale: false,
  battery: 3.6,
  rssi: -70,
  ...over,
});

describe('site status', () => {
  const ok = [reading('air_temperature', 12), reading('relative_humidity', 80)];
  it('is normal with readings inside the allowed range and nothing wrong', () => {
    expect(siteStatus([room], ok, [], [device({})])).toBe('ok');
  });
  it('needs a look when a reading leaves the allowed range, a device is silent or a warning is active', () => {
    expect(siteStatus([room], [reading('air_temperature', 16.2)], [], undefined)).toBe('warning');
    expect(siteStatus([room], [reading('relative_humidity', 65)], [], undefined)).toBe('warning');
    expect(siteStatus([room], ok, [], [device({ stale: true })])).toBe('warning');
    expect(siteStatus([room], ok, [], [device({ state: 'offline' })])).toBe('warning');
    expect(siteStatus([room], ok, [alert({ status: 'acknowledged' })], undefined)).toBe('warning');
  });
  it('is a problem with an active critical alert; resolved alerts and revoked devices do not count', () => {
    expect(siteStatus([room], ok, [alert({ severity: 'critical' })], undefined)).toBe('critical');
    expect(siteStatus([room], ok, [alert({ severity: 'critical', status: 'resolved' })], undefined)).toBe('ok');
    expect(siteStatus([room], ok, [], [device({ state: 'offline', revoked: true })])).toBe('ok');
  });
  it('has no data without readings', () => {
    expect(siteStatus([room], [], [], undefined)).toBe('nodata');
  });
  it('takes a room’s allowed ranges for temperature and humidity only', () => {
    expect(limitsOf(room, 'air_temperature')).toEqual({ min: 10, max: 15 });
    expect(limitsOf(room, 'relative_humidity')).toEqual({ min: 70, max: 85 });
    expect(limitsOf(room, 'co2')).toBeUndefined();
  });
});

describe('village data from the stream', () => {
  const data = () => new VillageData('kel-taman', { get: () => Promise.reject(new Error('offline')) } as never);

  it('keeps the newest reading per series and tells chart listeners about each new one', () => {
    const v = data();
    const seen: number[] = [];
    v.onReading((r) => seen.push(r.value));
    v.applyReadings({ readings: [{ ...reading('air_temperature', 12), ts: 10 }] });
    v.applyReadings({ readings: [{ ...reading('air_temperature', 11), ts: 5 }] }); // older: ignored
    v.applyReadings({ readings: [{ ...reading('air_temperature', 13), ts: 20 }] });
    expect(seen).toEqual([12, 13]);
    expect(v.readingsOf('ruang-telur').map((r) => r.value)).toEqual([13]);
  });

  it('keeps open and acknowledged alerts, drops resolved ones, and orders open and severe first', () => {
    const v = data();
    v.applyAlert(alert({ id: 'w', severity: 'warning', raisedAt: 3 }));
    v.applyAlert(alert({ id: 'c', severity: 'critical', raisedAt: 1 }));
    v.applyAlert(alert({ id: 'i', severity: 'info', raisedAt: 5 }));
    expect(v.alerts.map((a) => a.id)).toEqual(['c', 'w', 'i']);
    v.applyAlert(alert({ id: 'c', severity: 'critical', status: 'acknowledged' }));
    expect(v.alerts.map((a) => a.id)).toEqual(['w', 'i', 'c']);
    v.applyAlert(alert({ id: 'w', status: 'resolved' }));
    expect(v.alerts.map((a) => a.id)).toEqual(['i', 'c']);
    expect(sortAlerts([]).length).toBe(0);
  });

  it('counts devices online from live device health once it is loaded', () => {
    const v = data();
    v.health = [device({}), device({ deviceId: 'b', state: 'offline' }), device({ deviceId: 'c', revoked: true })];
    expect(v.devicesOnline()).toEqual({ online: 1, total: 2 });
    v.applyDevice(device({ deviceId: 'b', state: 'online' }));
    expect(v.devicesOnline()).toEqual({ online: 2, total: 2 });
  });
});
