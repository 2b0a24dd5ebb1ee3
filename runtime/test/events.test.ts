import { describe, expect, it } from 'vitest';
import { EventBus } from '../src/index.ts';

describe('EventBus', () => {
  it('delivers typed events and removes listeners through the returned function', () => {
    const bus = new EventBus<{ reading: { value: number }; alert: string }>();
    const seen: number[] = [];
    const off = bus.on('reading', (r) => seen.push(r.value));
    bus.emit('reading', { value: 1 });
    bus.emit('alert', 'ignored');
    expect(bus.listenerCount()).toBe(1);
    off();
    bus.emit('reading', { value: 2 });
    expect(seen).toEqual([1]);
    expect(bus.listenerCount()).toBe(0);
  });
});
