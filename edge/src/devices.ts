import net from 'node:net';
import type { EventBus, Logger } from '@lumbung/runtime';
import { guardMqttPacketSize, listen, verifySecret } from '@lumbung/runtime';
import { type DeviceCredential, deviceTopic } from '@lumbung/schemas';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import type { EdgeEvents } from './events.ts';
import type { DeviceSession, Ingest } from './ingest.ts';
import type { EdgeMetrics } from './metrics.ts';

/** Packets larger than this are not even dead-lettered: the device is disconnected (it is misbehaving). */
const ABUSIVE_PAYLOAD_BYTES = 64 * 1024;
/**
 * A packet announcing more than this is cut off at its header, before the broker buffers it (aedes has no
 * limit): up to here an abusive payload is still kept (truncated) as evidence; beyond, only counted and logged.
 */
const MAX_PACKET_BYTES = 1024 * 1024;

const refuse = (returnCode: 2 | 4 | 5, message: string): AuthenticateError => {
  const e = new Error(message) as AuthenticateError;
  e.returnCode = returnCode;
  return e;
};

/**
 * The MQTT broker devices connect to (aedes 1.x), with per-device credentials and an ACL:
 * - CONNECT: username = device id, password = its secret (checked against the provisioned hash), and the client id
 *   must EQUAL the device id. Equality (not a prefix) keeps one session per device: a second connection of the same
 *   device takes over the first [MQTT-3.1.4-2] instead of running beside it. Unknown, revoked or wrong secret:
 *   CONNACK 5 (not authorized); client id mismatch: CONNACK 2 (identifier rejected).
 * - PUBLISH: only to its own `up` and `status`. Anything else is refused by closing the connection (MQTT 3.1.1
 *   §3.3.5 leaves the server only that or a positive ack), counted and dead-lettered as `forbidden_topic`.
 * - SUBSCRIBE: only its own `down`; anything else gets SUBACK 0x80.
 */
export class DeviceBroker {
  #broker: Aedes | undefined;
  #server: net.Server | undefined;
  #port = 0;
  #credentials = new Map<string, DeviceCredential>();
  readonly #sessions = new WeakMap<Client, DeviceSession>();
  /** Registered (connected) device clients by device id; the aedes typings do not expose `broker.clients`. */
  readonly #clients = new Map<string, Client>();

  constructor(
    private readonly o: {
      host: string;
      port: number;
      ingest: Ingest;
      metrics: EdgeMetrics;
      events: EventBus<EdgeEvents>;
      logger: Logger;
    },
  ) {}

  get port(): number {
    return this.#port;
  }

  get connectedDevices(): number {
    return this.#clients.size;
  }

  /** Replaces the credentials; connected devices that were removed, revoked or re-keyed are disconnected. */
  setCredentials(devices: readonly DeviceCredential[]): string[] {
    const next = new Map(devices.map((d) => [d.deviceId, d]));
    const prev = this.#credentials;
    this.#credentials = next;
    const kicked: string[] = [];
    for (const [id, client] of [...this.#clients]) {
      const s = this.#sessions.get(client);
      if (!s) continue;
      const now = next.get(s.deviceId);
      const was = prev.get(s.deviceId);
      if (!now || now.revoked || now.secretHash !== was?.secretHash || now.villageId !== s.villageId) {
        kicked.push(id);
        client.close();
      } else {
        s.siteId = now.siteId;
      }
    }
    return kicked;
  }

  async start(): Promise<void> {
    const { ingest, metrics, events, logger } = this.o;
    const broker = await Aedes.createBroker({
      // Whole chunks of a connection are dispatched concurrently; our callbacks are held until the group commit,
      // which is the backpressure: aedes reads the next chunk of a device only after its previous chunk was acked.
      authenticate: (client, username, password, cb) => {
        const cred = username === undefined ? undefined : this.#credentials.get(username);
        const fail = (reason: string, code: 2 | 5) => {
          metrics.authFailures.inc({ reason });
          events.emit('auth-failed', { clientId: client.id, username, reason });
          logger.info({ clientId: client.id, username, reason }, 'device connection refused');
          cb(refuse(code, reason), false);
        };
        if (!cred) return fail('unknown_device', 5);
        if (cred.revoked) return fail('revoked', 5);
        if (!verifySecret(password, cred.secretHash)) return fail('bad_secret', 5);
        if (client.id !== cred.deviceId) return fail('client_id_mismatch', 2);
        this.#sessions.set(client, {
          deviceId: cred.deviceId,
          villageId: cred.villageId,
          siteId: cred.siteId,
          upTopic: deviceTopic(cred.villageId, cred.deviceId, 'up'),
          statusTopic: deviceTopic(cred.villageId, cred.deviceId, 'status'),
          downTopic: deviceTopic(cred.villageId, cred.deviceId, 'down'),
        });
        cb(null, true);
      },
      authorizePublish: (client, packet, cb) => {
        const s = client ? this.#sessions.get(client) : undefined;
        if (!s) return cb(new Error('not authenticated'));
        const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
        if (payload.length > ABUSIVE_PAYLOAD_BYTES) {
          ingest.refused(s, packet.topic, payload, 'payload_too_large');
          return cb(new Error(`payload of ${payload.length} bytes`));
        }
        if (packet.topic === s.upTopic) return ingest.up(s, packet.topic, payload, cb);
        if (packet.topic === s.statusTopic) return ingest.status(s, packet.topic, payload, cb);
        ingest.refused(s, packet.topic, payload);
        logger.warn({ deviceId: s.deviceId, topic: packet.topic }, 'publish outside own topics refused; disconnecting');
        cb(new Error(`forbidden topic ${packet.topic}`));
      },
      authorizeSubscribe: (client, sub, cb) => {
        const s = client ? this.#sessions.get(client) : undefined;
        if (s && sub.topic === s.downTopic) return cb(null, sub);
        metrics.refused.inc({ reason: 'forbidden_subscription' });
        cb(null, null);
      },
    });
    broker.on('client', (client) => {
      const s = this.#sessions.get(client);
      if (!s) return;
      this.#clients.set(s.deviceId, client);
      ingest.setConnected(s, true);
      events.emit('device-connected', { deviceId: s.deviceId });
    });
    broker.on('clientDisconnect', (client) => {
      const s = this.#sessions.get(client);
      if (!s) return;
      // On a takeover the new client may already be registered; only the current one marks the device offline.
      if (this.#clients.get(s.deviceId) === client) {
        this.#clients.delete(s.deviceId);
        ingest.setConnected(s, false);
      }
      events.emit('device-disconnected', { deviceId: s.deviceId });
    });
    broker.on('clientError', (client, err) =>
      logger.debug({ clientId: client?.id, err: err.message }, 'device client error'),
    );
    const server = net.createServer((socket) => {
      guardMqttPacketSize(socket, MAX_PACKET_BYTES, (announced) => {
        this.o.metrics.refused.inc({ reason: 'packet_too_large' });
        logger.warn({ remote: socket.remoteAddress, announced }, 'MQTT packet over the size limit; connection closed');
      });
      broker.handle(socket);
    });
    try {
      this.#port = await listen(server, this.o.port, this.o.host);
    } catch (err) {
      await new Promise<void>((r) => broker.close(() => r()));
      throw err;
    }
    server.on('error', (err) => logger.error({ err }, 'device broker socket error'));
    this.#server = server;
    this.#broker = broker;
  }

  /** Stops accepting connections (existing ones stay until close()). */
  async stopListening(): Promise<void> {
    const s = this.#server;
    this.#server = undefined;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      // close() waits for open sockets; they are closed by the broker in close()
      resolve();
    });
  }

  async close(): Promise<void> {
    await this.stopListening();
    const b = this.#broker;
    this.#broker = undefined;
    if (!b) return;
    await new Promise<void>((resolve) => b.close(() => resolve()));
    this.#clients.clear();
  }
}
