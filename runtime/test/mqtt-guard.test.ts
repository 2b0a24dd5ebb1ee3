import net from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { guardMqttPacketSize, waitFor } from '../src/index.ts';

describe('guardMqttPacketSize', () => {
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of closers.splice(0).reverse()) await c();
  });

  async function guardedBroker(maxBytes: number) {
    const broker = await Aedes.createBroker();
    const received: number[] = [];
    broker.on('publish', (p, client) => {
      if (client) received.push(p.payload.length);
    });
    const oversize: number[] = [];
    const server = net.createServer((socket) => {
      guardMqttPacketSize(socket, maxBytes, (n) => oversize.push(n));
      broker.handle(socket);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    closers.push(
      () => new Promise<void>((r) => server.close(() => r())),
      () => new Promise<void>((r) => broker.close(() => r())),
    );
    return { port: (server.address() as net.AddressInfo).port, received, oversize };
  }

  it('passes packets up to the limit, split across chunks or many in one chunk', async () => {
    const b = await guardedBroker(70_000);
    const c = await mqtt.connectAsync(`mqtt://127.0.0.1:${b.port}`, { reconnectPeriod: 0 });
    closers.push(() => c.endAsync());
    for (const size of [0, 1, 127, 128, 16_383, 16_384, 60_000])
      await c.publishAsync('t', Buffer.alloc(size), { qos: 1 });
    await Promise.all(Array.from({ length: 200 }, () => c.publishAsync('t', Buffer.alloc(10), { qos: 1 })));
    // The broker's 'publish' event may follow the PUBACK.
    await waitFor('207 publishes at the broker', () => b.received.length === 207, 5000, 10);
    expect(b.oversize).toEqual([]);
  });

  it('closes the connection when a packet announces more than the limit, before its body arrives', async () => {
    const b = await guardedBroker(70_000);
    const socket = net.connect(b.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const closed = new Promise((r) => socket.once('close', r));
    // A PUBLISH header announcing 200 MB (0xC8 0x80 0xAE 0x5F ≈ 200,000,000), and no body at all.
    socket.write(Buffer.from([0x30, 0x80, 0x84, 0xaf, 0x5f]));
    await closed;
    expect(b.oversize).toEqual([200_000_000]);
  });
});
