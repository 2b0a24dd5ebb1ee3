import { describe, expect, it } from 'vitest';
import { openEdgeDb } from '../src/db.ts';
import { RuleEngine } from '../src/rules.ts';
import { cleanupAfterEach, tempDir } from './helpers.ts';

const cleanups = cleanupAfterEach();

const rule = {
  id: 'r1',
  siteId: 's1',
  metric: 'air_temperature',
  max: 8,
  forSeconds: 60,
  severity: 'warning' as const,
};
const MIN = 60_000;
const T0 = 1_750_000_000_000;

describe('RuleEngine', () => {
  it('raises after forSeconds, ignores late readings, and keeps its state across a restart', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    let { db } = openEdgeDb(t.dir, 'normal');
    let e = new RuleEngine(db, 'v', 'e');
    e.load();
    e.setRules([rule]);
    expect(e.evaluate('d', 's1', { air_temperature: 9 }, T0)).toEqual([]);
    expect(e.evaluate('d', 's2', { air_temperature: 30 }, T0 + MIN)).toEqual([]); // other site
    expect(e.evaluate('d', 's1', { air_temperature: 2 }, T0 - MIN)).toEqual([]); // late: ignored, not a clear of the timer
    const raised = e.evaluate('d', 's1', { air_temperature: 10 }, T0 + MIN);
    expect(raised.map((a) => [a.state, a.ts, a.key])).toEqual([['raised', T0 + MIN, 'rule:r1:d']]);
    db.close();
    ({ db } = openEdgeDb(t.dir, 'normal'));
    cleanups.push(() => db.close());
    e = new RuleEngine(db, 'v', 'e');
    e.load();
    e.setRules([rule]);
    expect(e.evaluate('d', 's1', { air_temperature: 11 }, T0 + 2 * MIN)).toEqual([]); // still raised, not again
    expect(e.evaluate('d', 's1', { air_temperature: 5 }, T0 + 3 * MIN).map((a) => a.state)).toEqual(['cleared']);
    // removing the rule forgets its state
    e.setRules([]);
    expect(e.ruleCount).toBe(0);
    expect(db.prepare('SELECT COUNT(*) FROM rule_state').pluck().get()).toBe(0);
  });
});
