import { describe, expect, it } from 'vitest';
import { type Subscriber, TopicTable } from './topics.ts';

interface Sub extends Subscriber {
  name: string;
}

const sub = (name: string): Sub => ({ name, topics: null });
const names = (list: readonly Sub[] | undefined) => (list ?? []).map((s) => s.name).sort();

describe('TopicTable', () => {
  it('tracks subscribers per topic and topics per subscriber', () => {
    const t = new TopicTable<Sub>(8);
    const [a, b] = [sub('a'), sub('b')];
    expect(t.subscribe(a, 'room')).toBe('added');
    expect(t.subscribe(b, 'room')).toBe('added');
    expect(t.subscribe(a, 'room')).toBe('already');
    expect(names(t.subscribers('room'))).toEqual(['a', 'b']);
    expect(t.isSubscribed(a, 'room')).toBe(true);
    expect(t.isSubscribed(a, 'other')).toBe(false);
    expect(t.topicsOf(a)).toBe(1);
    expect(t.topicCount).toBe(1);
    expect(t.subscriberCount).toBe(2);
  });

  it('frees a topic when its last subscriber leaves', () => {
    const t = new TopicTable<Sub>(8);
    const [a, b] = [sub('a'), sub('b')];
    t.subscribe(a, 'room');
    t.subscribe(b, 'room');
    expect(t.unsubscribe(a, 'room')).toBe(true);
    expect(t.topicCount).toBe(1);
    expect(t.unsubscribe(b, 'room')).toBe(true);
    expect(t.subscribers('room')).toBeUndefined();
    expect(t.topicCount).toBe(0);
    expect(t.subscriberCount).toBe(0);
    expect(b.topics).toBeNull();
    expect(t.unsubscribe(b, 'room')).toBe(false);
  });

  it('caps topics per subscriber without affecting others', () => {
    const t = new TopicTable<Sub>(2);
    const [a, b] = [sub('a'), sub('b')];
    expect(t.subscribe(a, 't1')).toBe('added');
    expect(t.subscribe(a, 't2')).toBe('added');
    expect(t.subscribe(a, 't3')).toBe('limit');
    expect(t.isSubscribed(a, 't3')).toBe(false);
    expect(t.subscribers('t3')).toBeUndefined();
    expect(t.subscribe(b, 't3')).toBe('added');
    t.unsubscribe(a, 't1');
    expect(t.subscribe(a, 't3')).toBe('added');
  });

  it('removes a subscriber from every topic at once', () => {
    const t = new TopicTable<Sub>(8);
    const [a, b] = [sub('a'), sub('b')];
    t.subscribe(a, 't1');
    t.subscribe(a, 't2');
    t.subscribe(b, 't2');
    t.removeSubscriber(a);
    expect(t.subscribers('t1')).toBeUndefined();
    expect(names(t.subscribers('t2'))).toEqual(['b']);
    expect(t.topicsOf(a)).toBe(0);
    expect(t.topicCount).toBe(1);
    expect(t.subscriberCount).toBe(1);
    t.removeSubscriber(a);
    expect(t.subscriberCount).toBe(1);
  });

  it('keeps every other subscriber, exactly once, whichever one leaves', () => {
    const fresh = () => Array.from({ length: 12 }, (_, i) => sub(`s${i}`));
    for (let leaving = 0; leaving < 12; leaving++) {
      const all = fresh();
      const t = new TopicTable<Sub>(8);
      for (const s of all) t.subscribe(s, 'room');
      t.unsubscribe(all[leaving]!, 'room');
      expect(names(t.subscribers('room'))).toEqual(names(all.filter((_, i) => i !== leaving)));
    }
    const all = fresh();
    const t = new TopicTable<Sub>(8);
    for (const s of all) t.subscribe(s, 'room');
    for (const s of [all[0]!, all[11]!, all[5]!]) t.removeSubscriber(s);
    expect(t.subscribers('room')).toHaveLength(9);
    expect(new Set(t.subscribers('room')).size).toBe(9);
  });

  it('keeps a subscriber in its other topics when it leaves one', () => {
    const t = new TopicTable<Sub>(8);
    const a = sub('a');
    for (const topic of ['t1', 't2', 't3']) t.subscribe(a, topic);
    t.unsubscribe(a, 't1');
    expect([...(a.topics ?? [])].sort()).toEqual(['t2', 't3']);
    expect(t.isSubscribed(a, 't1')).toBe(false);
    expect(t.isSubscribed(a, 't3')).toBe(true);
    expect(t.subscriberCount).toBe(1);
  });
});
