import {
  battery,
  diurnalTemperature,
  humidityFromTemperature,
  radio,
  rainEvents,
  solarRadiation,
  windSpeed,
} from '../extend.ts';
import { defineFamily } from '../family.ts';

export const weatherStation = defineFamily({
  id: 'weather_station',
  label: { id: 'Stasiun cuaca', en: 'Weather station' },
  description:
    'Solar-powered mast: air temperature, humidity, wind at sensor height, solar radiation, tipping-bucket rain.',
  siteKinds: ['weather', 'plot'],
  power: 'solar',
  cutoffVolts: 2.8,
  defaultIntervalSeconds: 300,
  firmware: 'lumbung-ws/1.2.0',
  extend: [
    diurnalTemperature(),
    humidityFromTemperature(),
    windSpeed(),
    solarRadiation(),
    rainEvents(),
    battery({ kind: 'solar' }),
    radio(),
  ],
});
