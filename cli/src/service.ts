import type { Component } from '@lumbung/runtime';

/**
 * Runs components until SIGINT or SIGTERM, then stops them in reverse order (so the simulator stops
 * before the edge, the edge flushes before the gateway, the gateway before its store). A signal during
 * start-up (a demo's backfill can take a while) stops what has started; a second signal exits at once.
 */
export async function runUntilSignal(
  components: Component[],
  opts: { onStarted?: () => void; onStopping?: () => void; tickMs?: number; onTick?: () => void } = {},
): Promise<number> {
  let signalled = false;
  let wake: (() => void) | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    if (signalled) {
      console.error(`\n${sig} again: exiting without a clean shutdown`);
      process.exit(130);
    }
    signalled = true;
    wake?.();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const started: Component[] = [];
  let timer: NodeJS.Timeout | undefined;
  try {
    for (const c of components) {
      if (signalled) break;
      await c.start();
      started.push(c);
    }
    if (!signalled) {
      opts.onStarted?.();
      if (opts.onTick) timer = setInterval(opts.onTick, opts.tickMs ?? 2000);
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    if (timer) clearInterval(timer);
    opts.onStopping?.();
  } finally {
    for (const c of started.reverse()) await c.stop().catch((err) => console.error(`stop failed: ${err}`));
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  return 0;
}
