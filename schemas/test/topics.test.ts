import { describe, expect, it } from 'vitest';
import { deviceTopic, edgeTopic, parseTopic } from '../src/index.ts';

describe('topic grammar', () => {
  it('round-trips device and edge topics', () => {
    expect(parseTopic(deviceTopic('kel-taman', 'ws-1', 'up'))).toEqual({
      kind: 'device',
      villageId: 'kel-taman',
      deviceId: 'ws-1',
      channel: 'up',
    });
    expect(parseTopic(edgeTopic('kel-taman', 'box-1', 'batch'))).toEqual({
      kind: 'edge',
      villageId: 'kel-taman',
      edgeId: 'box-1',
      channel: 'batch',
    });
  });

  it('has the devices channel of a village box (presence of its devices)', () => {
    expect(edgeTopic('kel-taman', 'box-1', 'devices')).toBe('lumbung/v1/kel-taman/edges/box-1/devices');
    expect(parseTopic('lumbung/v1/kel-taman/edges/box-1/devices')).toEqual({
      kind: 'edge',
      villageId: 'kel-taman',
      edgeId: 'box-1',
      channel: 'devices',
    });
    // a device cannot have the channel: it is the village box's
    expect(parseTopic('lumbung/v1/kel-taman/ws-1/devices')).toBeUndefined();
  });

  it.each([
    'lumbung/v1/kel-taman/ws-1',
    'lumbung/v2/kel-taman/ws-1/up',
    'lumbung/v1/kel-taman/ws-1/sideways',
    'lumbung/v1/kel-taman/+/up',
    'lumbung/v1/kel-taman/#',
    'lumbung/v1/Kel-Taman/ws-1/up',
    'lumbung/v1/kel-taman/edges/up',
    'lumbung/v1/kel-taman/edges/box-1/up',
    'lumbung/v1//ws-1/up',
    'other/v1/kel-taman/ws-1/up',
  ])('rejects %s', (topic) => {
    expect(parseTopic(topic)).toBeUndefined();
  });
});
