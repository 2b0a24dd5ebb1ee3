import type { DeviceFamily } from '../family.ts';
import { energyMeter } from './energy-meter.ts';
import { soilProbe } from './soil-probe.ts';
import { storageRoomSensor } from './storage-room-sensor.ts';
import { waterMeter } from './water-meter.ts';
import { weatherStation } from './weather-station.ts';

export { energyMeter, soilProbe, storageRoomSensor, waterMeter, weatherStation };

/** Every device family the simulator knows, by id. */
export const families: Readonly<Record<string, DeviceFamily>> = Object.freeze(
  Object.fromEntries([weatherStation, soilProbe, storageRoomSensor, energyMeter, waterMeter].map((f) => [f.id, f])),
);
