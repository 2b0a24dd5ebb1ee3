import { describe, expect, it } from 'vitest';
import { openEdgeDb } from '../src/db.ts';
import { type QueuedMessage, ReadingQueue } from '../src/queue.ts';
import { cleanupAfterEach, tempDir } from './helpers.ts';

const cleanups = cleanupAfterEach();

function open(dir: string, batchMax = 10) {
  const { db, epoch } = openEdgeDb(dir, 'normal');
  const q = new ReadingQueue(db, epoch, batchMax);
  q.load();
  cleanups.push(() => db.close());
  return { db, q };
}

const msg = (seq: number, readings = 2): QueuedMessage => ({
  deviceId: 'd1',
  seq,
  ts: 1_700_000_000_000 + seq,
  tsSource: 'device',
  rx: 1_700_000_000_000 + seq,
  readings,
  body: JSON.stringify(Object.fromEntries(Array.from({ length: readings }, (_, i) => [`m${i}`, seq + i / 10]))),
});

describe('ReadingQueue', () => {
  it('cuts batches by readings, never splitting a message, and expands them to readings', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const { db, q } = open(t.dir, 5);
    db.transaction(() => {
      for (let s = 0; s < 6; s++) q.append(msg(s));
    })();
    expect(q.readings).toBe(12);
    const b1 = q.take('live', 1)!;
    expect([b1.rows, b1.readings]).toEqual([2, 4]); // a third message would make 6 > 5
    const wire = q.read(b1, 'box-1');
    expect(wire.readings.map((r) => [r.seq, r.metric, r.value])).toEqual([
      [0, 'm0', 0],
      [0, 'm1', 0.1],
      [1, 'm0', 1],
      [1, 'm1', 1.1],
    ]);
    expect(wire.batchId).toBe(`${q.epoch}-${b1.id}`);
    expect(q.liveReadings).toBe(8);
    q.ack(b1.id);
    expect([q.rows, q.readings]).toEqual([4, 8]);
  });

  it('after a restart open batches keep id and content, and unassigned rows become backlog', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    let { db, q } = open(t.dir, 4);
    db.transaction(() => {
      for (let s = 0; s < 10; s++) q.append(msg(s));
    })();
    const first = q.take('live', 1)!;
    const second = q.take('live', 1)!;
    q.ack(first.id);
    const before = q.read(second, 'box-1');
    db.close();
    cleanups.pop();
    ({ db, q } = open(t.dir, 4));
    expect(q.openBatches().map((b) => b.id)).toEqual([second.id]);
    expect(q.read(q.getBatch(second.id)!, 'box-1')).toEqual(before);
    expect(q.hasBacklog).toBe(true);
    expect(q.liveReadings).toBe(0);
    const next = q.take('backlog', 2)!;
    expect(q.read(next, 'box-1').readings[0]!.seq).toBe(4);
    expect(q.unassignedReadings).toBe(q.readings - second.readings - next.readings);
  });

  it('split() lets live batches overtake the backlog; drops take the oldest unassigned rows only', () => {
    const t = tempDir();
    cleanups.push(t.cleanup);
    const { db, q } = open(t.dir, 4);
    db.transaction(() => {
      for (let s = 0; s < 10; s++) q.append(msg(s));
    })();
    const open1 = q.take('live', 1)!; // seqs 0,1 assigned: never dropped
    q.split();
    db.transaction(() => q.append(msg(100)))();
    const live = q.take('live', 1)!;
    expect(q.read(live, 'box-1').readings[0]!.seq).toBe(100);
    const dropped = db.transaction(() => q.enforceBudget(q.bytes - 1))();
    expect(dropped).toBe(2); // one message (seq 2), the oldest unassigned
    const b = q.take('backlog', 1)!;
    expect(q.read(b, 'box-1').readings[0]!.seq).toBe(3);
    expect(q.getBatch(open1.id)).toBeDefined();
    // a budget below what assigned batches hold cannot be met by dropping them
    db.transaction(() => q.enforceBudget(0))();
    expect(q.unassignedReadings).toBe(0);
    expect(q.readings).toBe(open1.readings + live.readings + b.readings);
  });
});
