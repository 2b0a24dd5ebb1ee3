import { setTimeout as sleep } from 'node:timers/promises';
import { migrate } from '../src/registry/migrate.ts';

// A separate process running the migration runner, for the concurrent start test: SQLite's locking
// between processes is what that test is about, and one process cannot show it. Processes start
// unevenly (loading TypeScript takes a second), so they all wait for the same moment to begin.
const [url, dataDir, startAt] = process.argv.slice(2);
await sleep(Math.max(0, Number(startAt) - Date.now()));
const result = await migrate({ url: url === '-' ? undefined : url, dataDir: dataDir! });
process.stdout.write(JSON.stringify(result));
