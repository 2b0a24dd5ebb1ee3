import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, hashSecret } from '@lumbung/runtime';
import { describe, expect, it } from 'vitest';
import { gatewaySettings, loadGatewayConfig, readGatewayProvisioning } from '../src/settings.ts';
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
});
