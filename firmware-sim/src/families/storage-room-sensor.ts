import { battery, laggedRoom, radio } from '../extend.ts';
import { defineFamily } from '../family.ts';

export const storageRoomSensor = defineFamily({
  id: 'storage_room_sensor',
  label: { id: 'Sensor ruang simpan', en: 'Storage-room sensor' },
  description: 'Temperature and humidity logger on the wall of a storage room.',
  siteKinds: ['storage_room'],
  power: 'aa',
  cutoffVolts: 2.2,
  defaultIntervalSeconds: 60,
  firmware: 'lumbung-th/2.0.1',
  extend: [laggedRoom(), battery({ kind: 'aa' }), radio()],
});
