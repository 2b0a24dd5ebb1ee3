/**
 * Recognises a device's QoS 1 retry of a message it already delivered.
 *
 * A retry carries the same `seq` and the same content. A device that reboots starts `seq` again at 0, so
 * `seq` alone would throw away its first messages after a reboot. A message is therefore a duplicate only if,
 * within `windowMs` of receiving the first copy, it has the same seq AND
 * - the same device timestamp, when it carries one (a rebooted device with a clock sends a new ts), or
 * - the same accepted readings, when it has no timestamp (a rebooted clockless device sending exactly the same
 *   values under the same seq within the window is indistinguishable from a retry and is counted as one).
 * Per device only the last `perDevice` seqs are remembered, which bounds memory and covers every retry a device
 * can have outstanding (mqtt.js resends its whole unacknowledged window, far below 256 in practice).
 */
export class DuplicateWindow {
  readonly #byDevice = new Map<string, Map<number, { ts: number | undefined; body: string; rx: number }>>();

  constructor(
    private readonly windowMs = 15 * 60_000,
    private readonly perDevice = 256,
  ) {}

  isDuplicate(deviceId: string, seq: number, ts: number | undefined, body: string, now: number): boolean {
    const seen = this.#byDevice.get(deviceId)?.get(seq);
    if (!seen || now - seen.rx > this.windowMs) return false;
    return ts !== undefined ? seen.ts === ts : seen.ts === undefined && seen.body === body;
  }

  remember(deviceId: string, seq: number, ts: number | undefined, body: string, rx: number): void {
    let m = this.#byDevice.get(deviceId);
    if (!m) this.#byDevice.set(deviceId, (m = new Map()));
    m.delete(seq); // re-insert at the end: Map iteration order is insertion order, oldest first
    m.set(seq, { ts, body, rx });
    if (m.size > this.perDevice) {
      const oldest = m.keys().next().value as number;
      m.delete(oldest);
    }
  }

  /** Undo remember() when the message could not be stored, so the device's retry is not mistaken for a duplicate. */
  forget(deviceId: string, seq: number): void {
    this.#byDevice.get(deviceId)?.delete(seq);
  }

  forgetDevice(deviceId: string): void {
    this.#byDevice.delete(deviceId);
  }
}
