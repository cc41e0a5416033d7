import { describe, expect, it } from 'vitest';
import { TopicTable } from './topics.ts';

describe('TopicTable', () => {
  it('tracks subscribers per topic and topics per subscriber', () => {
    const t = new TopicTable<string>(8);
    expect(t.subscribe('a', 'room')).toBe('added');
    expect(t.subscribe('b', 'room')).toBe('added');
    expect(t.subscribe('a', 'room')).toBe('already');
    expect([...(t.subscribers('room') ?? [])]).toEqual(['a', 'b']);
    expect(t.isSubscribed('a', 'room')).toBe(true);
    expect(t.topicsOf('a')).toBe(1);
    expect(t.topicCount).toBe(1);
  });

  it('frees a topic when its last subscriber leaves', () => {
    const t = new TopicTable<string>(8);
    t.subscribe('a', 'room');
    t.subscribe('b', 'room');
    expect(t.unsubscribe('a', 'room')).toBe(true);
    expect(t.topicCount).toBe(1);
    expect(t.unsubscribe('b', 'room')).toBe(true);
    expect(t.subscribers('room')).toBeUndefined();
    expect(t.topicCount).toBe(0);
    expect(t.subscriberCount).toBe(0);
    expect(t.unsubscribe('b', 'room')).toBe(false);
  });

  it('caps topics per subscriber without affecting others', () => {
    const t = new TopicTable<string>(2);
    expect(t.subscribe('a', 't1')).toBe('added');
    expect(t.subscribe('a', 't2')).toBe('added');
    expect(t.subscribe('a', 't3')).toBe('limit');
    expect(t.isSubscribed('a', 't3')).toBe(false);
    expect(t.subscribers('t3')).toBeUndefined();
    expect(t.subscribe('b', 't3')).toBe('added');
    t.unsubscribe('a', 't1');
    expect(t.subscribe('a', 't3')).toBe('added');
  });

  it('removes a subscriber from every topic at once', () => {
    const t = new TopicTable<string>(8);
    t.subscribe('a', 't1');
    t.subscribe('a', 't2');
    t.subscribe('b', 't2');
    t.removeSubscriber('a');
    expect(t.subscribers('t1')).toBeUndefined();
    expect([...(t.subscribers('t2') ?? [])]).toEqual(['b']);
    expect(t.topicsOf('a')).toBe(0);
    expect(t.topicCount).toBe(1);
  });
});
