import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cleanupAfterEach, connectDevice, endClient, makeProvisioning, publish, tempDir, upTopic } from './helpers.ts';

const cleanups = cleanupAfterEach();

function startChild(provisioningFile: string, dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'fixtures/run-edge.ts'), provisioningFile, dataDir],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
      env: { ...process.env, LUMBUNG_LOG_LEVEL: 'silent' },
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (code) => reject(new Error(`edge child exited with ${code}`)));
  });
}

describe('crash', () => {
  it('every reading acknowledged before a SIGKILL is in the queue afterwards', async () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const p = makeProvisioning(3);
    const file = join(t.dir, 'prov.json');
    writeFileSync(file, JSON.stringify(p.provisioning));
    const { child, port } = await startChild(file, join(t.dir, 'data'));
    cleanups.push(() => {
      if (child.exitCode === null) child.kill('SIGKILL');
    });
    const clients = await Promise.all(p.devices.map((d) => connectDevice(port, d)));
    const acked: string[] = [];
    let stop = false;
    const running = clients.map(async (c, i) => {
      const d = p.devices[i]!;
      for (let seq = 0; !stop; seq++) {
        try {
          await publish(c, upTopic(d.deviceId), JSON.stringify({ seq, ts: Date.now(), readings: { co2: 400 + seq } }));
        } catch {
          return;
        }
        acked.push(`${d.deviceId}:${seq}`);
      }
    });
    await new Promise((r) => setTimeout(r, 700));
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL'); // no stop(), no flush, no checkpoint
    stop = true;
    await exited;
    const ackedAtKill = [...acked];
    await Promise.all(clients.map(endClient));
    await Promise.allSettled(running);
    expect(ackedAtKill.length).toBeGreaterThan(50);
    const db = new Database(join(t.dir, 'data', 'edge.db'));
    const stored = new Set(
      (db.prepare('SELECT device, seq FROM queue').all() as { device: string; seq: number }[]).map(
        (r) => `${r.device}:${r.seq}`,
      ),
    );
    db.close();
    const missing = ackedAtKill.filter((k) => !stored.has(k));
    expect(missing).toEqual([]);
  });
});
