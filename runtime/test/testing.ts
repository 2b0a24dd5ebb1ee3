// Test helpers shared by the workspaces' tests (package subpath `@lumbung/runtime/testing`).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Whether the openssl CLI is on this machine (Debian's `openssl` package). */
export const opensslAvailable = (() => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

/** A throwaway CA and a server certificate for 127.0.0.1 (valid one day), made with the openssl CLI in `dir`. */
export function makeTestCertificates(dir: string): { ca: Buffer; key: Buffer; cert: Buffer } {
  const f = (n: string) => join(dir, n);
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  run(
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem')].concat([
      '-days',
      '1',
      '-subj',
      '/CN=lumbung-test-ca',
    ]),
  );
  run([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    f('srv.key'),
    '-out',
    f('srv.csr'),
    '-subj',
    '/CN=127.0.0.1',
  ]);
  writeFileSync(f('ext.cnf'), 'subjectAltName=IP:127.0.0.1');
  run(
    ['x509', '-req', '-in', f('srv.csr'), '-CA', f('ca.pem'), '-CAkey', f('ca.key'), '-CAcreateserial'].concat([
      '-out',
      f('srv.pem'),
      '-days',
      '1',
      '-extfile',
      f('ext.cnf'),
    ]),
  );
  return { ca: readFileSync(f('ca.pem')), key: readFileSync(f('srv.key')), cert: readFileSync(f('srv.pem')) };
}
