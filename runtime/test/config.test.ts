import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, configTable, env, loadConfig, setting } from '../src/index.ts';

const shape = {
  port: setting('LUMBUNG_TEST_PORT', env.port(1884), 'Port of the thing'),
  name: setting('LUMBUNG_TEST_NAME', env.string('taman'), 'Name of the thing'),
  tls: setting('LUMBUNG_TEST_TLS', env.bool(false), 'Use TLS'),
};

describe('loadConfig', () => {
  it('applies defaults and coerces environment strings', () => {
    expect(loadConfig(shape, {})).toEqual({ port: 1884, name: 'taman', tls: false });
    expect(loadConfig(shape, { LUMBUNG_TEST_PORT: '2000', LUMBUNG_TEST_TLS: 'yes' })).toMatchObject({
      port: 2000,
      tls: true,
    });
  });

  it('names the variable in the error', () => {
    expect(() => loadConfig(shape, { LUMBUNG_TEST_PORT: 'seventy' })).toThrow(ConfigError);
    expect(() => loadConfig(shape, { LUMBUNG_TEST_PORT: '70000' })).toThrow(/^LUMBUNG_TEST_PORT: .*Port of the thing/);
  });

  it('treats an empty variable as unset and lets overrides win', () => {
    expect(loadConfig(shape, { LUMBUNG_TEST_NAME: '' }).name).toBe('taman');
    expect(loadConfig(shape, { LUMBUNG_TEST_NAME: 'x' }, { name: 'y' }).name).toBe('y');
  });

  it('renders the configuration table', () => {
    const t = configTable({ test: shape });
    expect(t).toContain('| `LUMBUNG_TEST_PORT` | test | `1884` | Port of the thing |');
    const optional = configTable({ x: { o: setting('LUMBUNG_TEST_OPT', env.optionalString(), 'Optional thing') } });
    expect(optional).toContain('| `LUMBUNG_TEST_OPT` | x | (unset) | Optional thing |');
    const required = configTable({ x: { r: setting('LUMBUNG_TEST_REQ', z.string(), 'Required thing') } });
    expect(required).toContain('| `LUMBUNG_TEST_REQ` | x | (required) | Required thing |');
  });
});
