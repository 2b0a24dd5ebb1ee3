import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, hashSecret } from '@lumbung/runtime';
import type { TimeSeriesStore } from '@lumbung/store';
import { describe, expect, it } from 'vitest';
import {
  gatewayOptionsFromConfig,
  gatewaySettings,
  loadGatewayConfig,
  readGatewayProvisioning,
} from '../src/settings.ts';
import { tempDir } from './helpers.ts';

describe('gateway settings', () => {
  it('has the documented defaults and env names', () => {
    const c = loadGatewayConfig({});
    expect(c).toMatchObject({
      port: 1884,
      host: '0.0.0.0',
      opsHost: '127.0.0.1',
      writeMaxReadings: 50_000,
      writeMaxDelayMs: 0,
    });
    expect(gatewaySettings.port.env).toBe('LUMBUNG_GATEWAY_PORT');
    expect(gatewaySettings.opsPort.env).toBe('LUMBUNG_GATEWAY_OPS_PORT');
    expect(gatewaySettings.dataDir.env).toBe('LUMBUNG_DATA_DIR');
    expect(loadGatewayConfig({ LUMBUNG_GATEWAY_PORT: '0' }).port).toBe(0);
  });

  it('names the variable of a bad value', () => {
    expect(() => loadGatewayConfig({ LUMBUNG_GATEWAY_PORT: 'many' })).toThrow(ConfigError);
    expect(() => loadGatewayConfig({ LUMBUNG_GATEWAY_PORT: 'many' })).toThrow(/LUMBUNG_GATEWAY_PORT/);
  });

  it('reads a provisioning file and rejects a bad one with its path', () => {
    const dir = tempDir();
    try {
      const good = join(dir.path, 'p.json');
      writeFileSync(
        good,
        JSON.stringify({ edges: [{ edgeId: 'box-a', villageId: 'desa-a', secretHash: hashSecret('s') }] }),
      );
      expect(readGatewayProvisioning(good).edges[0]).toMatchObject({ edgeId: 'box-a', revoked: false });
      const bad = join(dir.path, 'bad.json');
      writeFileSync(bad, JSON.stringify({ edges: [{ edgeId: 'Box A' }] }));
      expect(() => readGatewayProvisioning(bad)).toThrow(/bad\.json: invalid provisioning/);
    } finally {
      dir.remove();
    }
  });

  it('maps LUMBUNG_GATEWAY_* variables to gateway options, reading the files they name', async () => {
    const dir = tempDir();
    try {
      const prov = join(dir.path, 'edges.json');
      writeFileSync(
        prov,
        JSON.stringify({ edges: [{ edgeId: 'box-a', villageId: 'desa-a', secretHash: hashSecret('s') }] }),
      );
      writeFileSync(join(dir.path, 'k.pem'), 'KEY');
      writeFileSync(join(dir.path, 'c.pem'), 'CERT');
      const store = { name: 'any' } as unknown as TimeSeriesStore;
      const c = loadGatewayConfig({
        LUMBUNG_DATA_DIR: '/var/lib/lumbung',
        LUMBUNG_GATEWAY_PROVISIONING: prov,
        LUMBUNG_GATEWAY_PORT: '8883',
        LUMBUNG_GATEWAY_TLS_KEY: join(dir.path, 'k.pem'),
        LUMBUNG_GATEWAY_TLS_CERT: join(dir.path, 'c.pem'),
        LUMBUNG_GATEWAY_LEDGER_RETENTION_DAYS: '7',
      });
      const o = gatewayOptionsFromConfig(c, { store });
      expect(o).toMatchObject({
        dataDir: '/var/lib/lumbung/gateway',
        mqtt: { host: '0.0.0.0', port: 8883 },
        ops: { host: '127.0.0.1', port: 9101 },
        write: { maxReadings: 50_000, maxDelayMs: 0, retries: 5 },
        ledgerRetentionDays: 7,
      });
      expect(o.store).toBe(store);
      expect(o.provisioning?.edges[0]?.edgeId).toBe('box-a');
      expect(o.mqtt?.tls?.key.toString()).toBe('KEY');
      expect(() => gatewayOptionsFromConfig(loadGatewayConfig({}), { store })).toThrow(
        /^LUMBUNG_GATEWAY_PROVISIONING: /,
      );
      expect(() => gatewayOptionsFromConfig({ ...c, tlsCert: undefined }, { store })).toThrow(
        /LUMBUNG_GATEWAY_TLS_KEY/,
      );
      expect(() => gatewayOptionsFromConfig({ ...c, tlsKey: join(dir.path, 'missing.pem') }, { store })).toThrow(
        /LUMBUNG_GATEWAY_TLS_KEY: cannot read/,
      );
    } finally {
      dir.remove();
    }
  });
});
