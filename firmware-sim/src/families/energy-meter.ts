import { cumulativeMeter, radio } from '../extend.ts';
import { defineFamily } from '../family.ts';
import { packingHouseEnergy } from '../physics/meters.ts';

export const energyMeter = defineFamily({
  id: 'energy_meter',
  label: { id: 'Meteran listrik', en: 'Energy meter' },
  description: 'Single-phase kWh meter with a pulse or Modbus reader: cumulative energy.',
  siteKinds: ['meter_point'],
  measures: 'energy',
  power: 'mains',
  defaultIntervalSeconds: 900,
  firmware: 'lumbung-em/1.0.4',
  extend: [cumulativeMeter(packingHouseEnergy, { metric: 'energy', defaultDailyUse: 12, decimals: 2 }), radio()],
});
