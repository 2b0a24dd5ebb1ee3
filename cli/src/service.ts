import type { Component } from '@lumbung/runtime';

/**
 * Runs components until SIGINT or SIGTERM, then stops them in reverse order (so the simulator stops
 * before the edge, the edge flushes before the gateway, the gateway before its store). A second signal
 * during shutdown exits at once.
 */
export async function runUntilSignal(
  components: Component[],
  opts: { onStarted?: () => void; onStopping?: () => void; tickMs?: number; onTick?: () => void } = {},
): Promise<number> {
  const started: Component[] = [];
  try {
    for (const c of components) {
      await c.start();
      started.push(c);
    }
  } catch (err) {
    for (const c of started.reverse()) await c.stop().catch(() => {});
    throw err;
  }
  opts.onStarted?.();
  const timer = opts.onTick ? setInterval(opts.onTick, opts.tickMs ?? 2000) : undefined;
  await new Promise<void>((resolve) => {
    let stopping = false;
    const onSignal = (sig: NodeJS.Signals) => {
      if (stopping) {
        console.error(`\n${sig} again: exiting without a clean shutdown`);
        process.exit(130);
      }
      stopping = true;
      resolve();
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  });
  if (timer) clearInterval(timer);
  opts.onStopping?.();
  for (const c of started.reverse()) await c.stop();
  return 0;
}
