import { ConfigError } from '@lumbung/runtime';
import { HelpShown, UsageError } from './args.ts';
import { PortTakenError } from './ports.ts';

type Command = { summary: string; load: () => Promise<(argv: string[]) => Promise<number>> };

const COMMANDS: Record<string, Command> = {
  demo: {
    summary: 'cloud API and dashboard, gateway, village box and simulated village in one process (`npm start`)',
    load: async () => (await import('./commands/demo.ts')).demo,
  },
  cloud: {
    summary: 'cloud API, dashboard, registry and the ingestion gateway',
    load: async () => (await import('./commands/cloud.ts')).cloud,
  },
  migrate: {
    summary: 'apply the registry database migrations',
    load: async () => (await import('./commands/migrate.ts')).migrate,
  },
  register: {
    summary: 'register a village from a scenario file and issue its credentials',
    load: async () => (await import('./commands/register.ts')).register,
  },
  sim: {
    summary: 'device simulator for a village scenario',
    load: async () => (await import('./commands/sim.ts')).sim,
  },
  edge: {
    summary: 'village box: device broker, durable queue, uplink',
    load: async () => (await import('./commands/edge.ts')).edge,
  },
  gateway: {
    summary: 'cloud ingestion gateway into the time-series store',
    load: async () => (await import('./commands/gateway.ts')).gateway,
  },
  query: {
    summary: 'readings or buckets from the time-series store as JSON',
    load: async () => (await import('./commands/query.ts')).query,
  },
  'schemas-export': {
    summary: 'write the JSON Schema of every device-facing payload',
    load: async () => (await import('./commands/schemas-export.ts')).schemasExport,
  },
  agro: {
    summary: 'agronomy calculations (FAO-56 ET0, water balance) from a JSON file',
    load: async () => (await import('./commands/agro.ts')).agro,
  },
  config: {
    summary: 'print the configuration table (Markdown)',
    load: async () => (await import('./commands/config.ts')).config,
  },
};

/** The README's command table. */
export function commandTable(): string {
  return [
    '| command | what it does |',
    '| --- | --- |',
    ...Object.entries(COMMANDS).map(([k, c]) => `| \`lumbung ${k}\` | ${c.summary} |`),
  ].join('\n');
}

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'Usage: lumbung COMMAND [options]',
    '',
    ...Object.entries(COMMANDS).map(([k, c]) => `  ${k.padEnd(width)}  ${c.summary}`),
    '',
    'lumbung COMMAND --help shows the options of a command.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    if (name === 'help' && rest[0] && COMMANDS[rest[0]]) return main([rest[0], '--help']);
    console.log(usage());
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`lumbung: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  try {
    return await (await command.load())(rest);
  } catch (err) {
    if (err instanceof HelpShown) return 0;
    if (err instanceof UsageError) {
      console.error(err.message);
      return 2;
    }
    // RegistryError is matched by name: importing the cloud here would load it into every command.
    const invalidDatabase =
      err instanceof Error && err.name === 'RegistryError' && 'kind' in err && err.kind === 'invalid';
    if (err instanceof ConfigError || err instanceof PortTakenError || invalidDatabase) {
      console.error(`lumbung ${name}: ${err.message}`);
      return 78; // EX_CONFIG
    }
    if (err instanceof Error && err.name === 'RegistryError' && 'kind' in err && err.kind === 'unavailable') {
      console.error(`lumbung ${name}: ${err.message}`);
      return 69; // EX_UNAVAILABLE
    }
    throw err;
  }
}
