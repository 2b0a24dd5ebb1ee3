import { describe, expect, it } from 'vitest';
import { currentSeason } from '../../src/agro/service.ts';

const plot = (plantingDate: string, repeatEveryDays?: number) => ({
  id: 'sawah-a',
  plot: { plantingDate, ...(repeatEveryDays ? { repeatEveryDays } : {}) },
});

describe('currentSeason: a plot replanted every n days is in its latest season', () => {
  it('keeps the planting date within the first season and without a repeat', () => {
    expect(currentSeason(plot('2026-08-01', 182), '2026-11-22').plot.plantingDate).toBe('2026-08-01');
    expect(currentSeason(plot('2026-08-01'), '2027-05-01').plot.plantingDate).toBe('2026-08-01');
  });

  it('moves on by whole repeats: 2026-08-01 + 182 days = 2027-01-30, + 364 = 2027-07-31', () => {
    expect(currentSeason(plot('2026-08-01', 182), '2027-01-29').plot.plantingDate).toBe('2026-08-01');
    expect(currentSeason(plot('2026-08-01', 182), '2027-01-30').plot.plantingDate).toBe('2027-01-30');
    expect(currentSeason(plot('2026-08-01', 182), '2027-08-15').plot.plantingDate).toBe('2027-07-31');
  });
});
