import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VictoriaMetricsStore } from '../src/victoria.ts';
import { VictoriaMetricsProcess } from '../src/victoria-process.ts';
import { describeTimeSeriesStoreContract, requireVictoriaMetrics } from './testing.ts';

const available = requireVictoriaMetrics();

describe.skipIf(!available)('VictoriaMetricsStore', () => {
  describeTimeSeriesStoreContract('VictoriaMetricsStore', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lumbung-vm-'));
    let vm = new VictoriaMetricsProcess({ dataDir: dir });
    await vm.start();
    let current = new VictoriaMetricsStore({ url: vm.url });
    await current.start();
    return {
      store: current,
      // Restarts the server too: what write() acknowledged must survive it.
      reopen: async () => {
        await current.stop();
        await vm.stop();
        vm = new VictoriaMetricsProcess({ dataDir: dir, port: vm.port });
        await vm.start();
        current = new VictoriaMetricsStore({ url: vm.url });
        await current.start();
        return current;
      },
      cleanup: async () => {
        await current.stop();
        await vm.stop();
        await rm(dir, { recursive: true, force: true });
      },
    };
  });

  describe('adapter specifics', () => {
    let dir: string;
    let vm: VictoriaMetricsProcess;
    let store: VictoriaMetricsStore;
    const T0 = Date.UTC(2024, 0, 1);
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'lumbung-vm-'));
      vm = new VictoriaMetricsProcess({ dataDir: dir });
      await vm.start();
      store = new VictoriaMetricsStore({ url: vm.url });
      await store.start();
    });
    afterAll(async () => {
      await store?.stop();
      await vm?.stop();
      await rm(dir, { recursive: true, force: true });
    });

    it('names series <measurement>_<metric>{village, device}, visible in /api/v1/export right after write()', async () => {
      await store.write([
        { villageId: 'nm', deviceId: 'd1', metric: 'air_temperature', ts: T0, value: 21.5, tsSource: 'device' },
      ]);
      const res = await fetch(`${vm.url}/api/v1/export?match[]=${encodeURIComponent('{village="nm"}')}`);
      const line = JSON.parse((await res.text()).trim());
      expect(line.metric).toEqual({ __name__: 'lumbung_air_temperature', village: 'nm', device: 'd1' });
      expect(line.values).toEqual([21.5]);
      expect(line.timestamps).toEqual([T0]);
    });

    it('de-duplicates a resent batch of many devices (long selectors go as POST forms)', async () => {
      const batch = Array.from({ length: 1200 }, (_, i) => ({
        villageId: 'many',
        deviceId: `sensor-node-${String(i % 600).padStart(4, '0')}`,
        metric: i < 600 ? 'air_temperature' : 'relative_humidity',
        ts: T0 + (i % 7) * 1000,
        value: i / 10,
        tsSource: 'edge' as const,
      }));
      expect(await store.write(batch)).toEqual({ written: 1200, duplicates: 0 });
      expect(await store.write(batch.map((x) => ({ ...x, value: -1 })))).toEqual({ written: 0, duplicates: 1200 });
      expect((await store.listSeries({ villageId: 'many' })).length).toBe(1200);
      const [first] = await store.latest({
        villageId: 'many',
        deviceId: 'sensor-node-0000',
        metric: 'air_temperature',
      });
      expect(first?.value).toBe(0);
    });

    it('fails start() when nothing listens at the URL', async () => {
      const dead = new VictoriaMetricsStore({ url: 'http://127.0.0.1:9', timeoutMs: 2000 });
      await expect(dead.start()).rejects.toThrow();
    });
  });
});
