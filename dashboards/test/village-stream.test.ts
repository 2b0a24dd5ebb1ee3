import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api } from '../src/api.ts';
import { VillageData } from '../src/village.ts';

/** An EventSource that the test opens, breaks and closes by hand. */
class FakeEventSource {
  static readonly CONNECTING = 0;
  static readonly OPEN = 1;
  static readonly CLOSED = 2;
  static all: FakeEventSource[] = [];
  readyState = FakeEventSource.CONNECTING;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  closed = false;
  constructor(readonly url: string) {
    FakeEventSource.all.push(this);
  }
  addEventListener(): void {}
  close(): void {
    this.closed = true;
    this.readyState = FakeEventSource.CLOSED;
  }
  open(): void {
    this.readyState = FakeEventSource.OPEN;
    this.onopen?.();
  }
  /** The connection broke; the browser will retry by itself (CONNECTING) unless the server refused (CLOSED). */
  fail(refused: boolean): void {
    this.readyState = refused ? FakeEventSource.CLOSED : FakeEventSource.CONNECTING;
    this.onerror?.();
  }
}

function fakeApi() {
  let token = 1;
  let expired = false;
  const api = {
    get: vi.fn(async (path: string) =>
      path.endsWith('kel-taman') ? { id: 'kel-taman', timeZone: 'Asia/Jakarta' } : [],
    ),
    streamUrl: vi.fn(async (path: string) => {
      if (expired) {
        token++;
        expired = false;
      }
      return `/api/v1${path}?access_token=t${token}`;
    }),
    auth: { expired: () => expired },
  };
  return {
    api: api as unknown as Api,
    expire: () => {
      expired = true;
    },
  };
}

describe('the live stream of a village (dashboards/src/village.ts)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    FakeEventSource.all = [];
    vi.stubGlobal('EventSource', FakeEventSource);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.useRealTimers();
  });

  it('sends the access token in the query, since EventSource cannot send headers', async () => {
    const { api } = fakeApi();
    const v = new VillageData('kel-taman', api);
    await v.start();
    await vi.waitFor(() => expect(FakeEventSource.all).toHaveLength(1));
    expect(FakeEventSource.all[0]!.url).toBe('/api/v1/villages/kel-taman/stream?access_token=t1');
    v.stop();
    expect(FakeEventSource.all[0]!.closed).toBe(true);
  });

  it('reopens with a fresh token when it breaks after the token ran out, and reloads what it missed', async () => {
    const { api, expire } = fakeApi();
    const v = new VillageData('kel-taman', api);
    await v.start();
    await vi.waitFor(() => expect(FakeEventSource.all).toHaveLength(1));
    const first = FakeEventSource.all[0]!;
    first.open();
    expect(v.stream).toBe('live');
    const loads = (api.get as ReturnType<typeof vi.fn>).mock.calls.length;
    expire();
    first.fail(false); // the browser would retry with the stale token
    expect(first.closed).toBe(true);
    expect(v.stream).toBe('lost');
    await vi.advanceTimersByTimeAsync(1000);
    expect(FakeEventSource.all).toHaveLength(2);
    expect(FakeEventSource.all[1]!.url).toBe('/api/v1/villages/kel-taman/stream?access_token=t2');
    FakeEventSource.all[1]!.open();
    expect(v.stream).toBe('live');
    await vi.waitFor(() => expect((api.get as ReturnType<typeof vi.fn>).mock.calls.length).toBeGreaterThan(loads));
    v.stop();
  });

  it("leaves a break with a valid token to the browser's own retry, and backs off when the server keeps refusing", async () => {
    const { api } = fakeApi();
    const v = new VillageData('kel-taman', api);
    await v.start();
    await vi.waitFor(() => expect(FakeEventSource.all).toHaveLength(1));
    FakeEventSource.all[0]!.fail(false);
    expect(FakeEventSource.all[0]!.closed).toBe(false);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(FakeEventSource.all).toHaveLength(1);
    // Refused (e.g. 401): reopened after 1 s, then 2 s, then 4 s.
    FakeEventSource.all[0]!.fail(true);
    await vi.advanceTimersByTimeAsync(999);
    expect(FakeEventSource.all).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeEventSource.all).toHaveLength(2);
    FakeEventSource.all[1]!.fail(true);
    await vi.advanceTimersByTimeAsync(1999);
    expect(FakeEventSource.all).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(FakeEventSource.all).toHaveLength(3);
    v.stop();
    FakeEventSource.all[2]!.fail(true);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(FakeEventSource.all).toHaveLength(3);
  });
});
