import type { Socket } from 'node:net';

/**
 * Closes an MQTT connection as soon as a packet announces more than `maxBytes` (MQTT 3.1.1 §2.2.3: the fixed
 * header's Remaining Length, up to 256 MB), before the broker buffers the body: aedes has no packet size limit,
 * and one such packet would exhaust a village box's memory. Reads the same chunks the broker reads (a 'data'
 * listener beside aedes' own reads); costs a few operations per packet.
 */
export function guardMqttPacketSize(socket: Socket, maxBytes: number, onOversize: (announced: number) => void): void {
  let skip = 0; // body bytes of the current packet still to pass
  let header = true; // expecting the first byte of a fixed header
  let length = 0;
  let multiplier = 1;
  let lengthBytes = 0;
  const onData = (chunk: Buffer) => {
    let i = 0;
    while (i < chunk.length) {
      if (skip > 0) {
        const n = Math.min(skip, chunk.length - i);
        skip -= n;
        i += n;
        continue;
      }
      if (header) {
        header = false;
        length = 0;
        multiplier = 1;
        lengthBytes = 0;
        i++;
        continue;
      }
      // Remaining Length: 1-4 bytes, 7 bits each, least significant first (§2.2.3).
      const b = chunk[i++] as number;
      length += (b & 0x7f) * multiplier;
      multiplier *= 128;
      lengthBytes++;
      if (b & 0x80) {
        if (lengthBytes < 4) continue;
        return stop(Number.POSITIVE_INFINITY); // malformed: a fifth length byte
      }
      if (length > maxBytes) return stop(length);
      skip = length;
      header = true;
    }
  };
  const stop = (announced: number) => {
    socket.off('data', onData);
    onOversize(announced);
    socket.destroy();
  };
  socket.on('data', onData);
}
