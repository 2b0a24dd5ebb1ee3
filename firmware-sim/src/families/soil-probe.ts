import { battery, radio, soilTemperature, soilWaterBucket } from '../extend.ts';
import { defineFamily } from '../family.ts';

export const soilProbe = defineFamily({
  id: 'soil_probe',
  label: { id: 'Sensor tanah', en: 'Soil probe' },
  description: 'Capacitive probe in the root zone: volumetric water content, temperature and bulk EC at about 10 cm.',
  siteKinds: ['plot'],
  power: 'aa',
  cutoffVolts: 2.2,
  defaultIntervalSeconds: 900,
  firmware: 'lumbung-soil/0.9.3',
  extend: [soilWaterBucket(), soilTemperature(), battery({ kind: 'aa' }), radio()],
});
