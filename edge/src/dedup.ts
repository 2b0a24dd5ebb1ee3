const SIZE = 64;

class Ring {
  readonly seq = new Float64Array(SIZE).fill(-1);
  /** device ts, or NaN when the message had none (then `body` holds its readings) */
  readonly ts = new Float64Array(SIZE);
  readonly body: (string | undefined)[] = new Array(SIZE);
  head = 0;
}

/**
 * Recognises a device's QoS 1 retry of a message it already delivered.
 *
 * A retry carries the same `seq` and the same content. A device that reboots starts `seq` again at 0, so `seq`
 * alone would throw away its first messages after a reboot. A message is therefore a duplicate only if it is among
 * the device's last 64 messages with the same seq AND
 * - the same device timestamp, when it carries one (a rebooted device with a clock sends a new ts), or
 * - the same accepted readings, when it has no timestamp (a rebooted clockless device sending exactly the same
 *   values under a seq it used in its last 64 messages is indistinguishable from a retry and counted as one).
 * 64 covers every retry a device can have outstanding (mqtt.js resends its unacknowledged window, far smaller).
 * The window is a fixed ring of typed arrays per device: at 20,000 messages/s a Map entry per message would be
 * promoted to the old generation and churn it (measured: +100 MB RSS under load).
 */
export class DuplicateWindow {
  readonly #byDevice = new Map<string, Ring>();

  isDuplicate(deviceId: string, seq: number, ts: number | undefined, body: string): boolean {
    const r = this.#byDevice.get(deviceId);
    if (!r) return false;
    for (let i = 0; i < SIZE; i++) {
      if (r.seq[i] !== seq) continue;
      if (ts !== undefined) {
        if (r.ts[i] === ts) return true;
      } else if (Number.isNaN(r.ts[i]) && r.body[i] === body) return true;
    }
    return false;
  }

  remember(deviceId: string, seq: number, ts: number | undefined, body: string): void {
    let r = this.#byDevice.get(deviceId);
    if (!r) this.#byDevice.set(deviceId, (r = new Ring()));
    const i = r.head;
    r.seq[i] = seq;
    r.ts[i] = ts ?? Number.NaN;
    r.body[i] = ts === undefined ? body : undefined;
    r.head = (i + 1) % SIZE;
  }

  /** Undo remember() when the message could not be stored, so the device's retry is not mistaken for a duplicate. */
  forget(deviceId: string, seq: number): void {
    const r = this.#byDevice.get(deviceId);
    if (!r) return;
    for (let i = 0; i < SIZE; i++) if (r.seq[i] === seq) r.seq[i] = -1;
  }
}
