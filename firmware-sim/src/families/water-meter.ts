import { battery, cumulativeMeter, radio } from '../extend.ts';
import { defineFamily } from '../family.ts';
import { packingHouseWater } from '../physics/meters.ts';

export const waterMeter = defineFamily({
  id: 'water_meter',
  label: { id: 'Meteran air', en: 'Water meter' },
  description: 'Mechanical water meter with a pulse reader on batteries: cumulative volume at 1 L resolution.',
  siteKinds: ['meter_point'],
  measures: 'water',
  power: 'aa',
  cutoffVolts: 2.2,
  defaultIntervalSeconds: 900,
  firmware: 'lumbung-wm/1.1.0',
  extend: [
    cumulativeMeter(packingHouseWater, { metric: 'water_volume', defaultDailyUse: 1.5, decimals: 3 }),
    battery({ kind: 'aa' }),
    radio(),
  ],
});
