import { describe, expect, it } from 'vitest';
import type { MemberId } from '../crypto/keys.ts';
import type { SearchDoc } from '../features/Feature.ts';
import { type FeedClock, SearchFeed } from './SearchFeed.ts';
import { SearchIndex } from './SearchIndex.ts';
import { searchSlots } from './searchSlots.ts';
import { searchTestGroup } from './testGroup.ts';

/** A thread whose idle callbacks run only when the test says, and whose time is counted. */
class FakeClock implements FeedClock {
  t = 0;
  readonly waiting: ((budget: number) => void)[] = [];
  idle(run: (budget: number) => void): void {
    this.waiting.push(run);
  }
  now(): number {
    return this.t;
  }
  /** Runs the idle callbacks queued so far; returns how many ran. */
  runIdle(budget: number): number {
    const runs = this.waiting.splice(0);
    for (const run of runs) run(budget);
    return runs.length;
  }
}

const doc = (id: string): SearchDoc => ({
  id,
  kind: 'reply',
  text: `text of ${id}`,
  author: 'ann' as MemberId,
  authorName: 'Ann',
  createdAt: 1,
  place: { route: 'thread', params: { groupId: 'g', threadId: 't' } },
});

describe('SearchFeed', () => {
  it('sends the first pass in slices that fit the idle time, then only what changed', () => {
    const clock = new FakeClock();
    const live = new Map(Array.from({ length: 1000 }, (_, i) => [`i${i}`, doc(`i${i}`)]));
    const reads: number[] = [];
    const sent: { ids: readonly string[]; docs: readonly SearchDoc[] }[] = [];
    let done = 0;
    const feed = new SearchFeed(
      {
        slots: () => [...live.keys()],
        docs: (ids) => {
          reads.push(ids.size);
          clock.t += 1; // each read of a few ids costs 1 ms
          return [...ids].flatMap((id) => live.get(id) ?? []);
        },
      },
      { update: (ids, docs) => sent.push({ ids, docs }), done: () => done++ },
      clock,
    );
    feed.start();
    expect(sent).toEqual([]); // nothing is read until the thread is idle
    feed.flush(); // a query during the first pass does not force it through
    expect(sent).toEqual([]);
    clock.runIdle(3);
    // One slice: reads of 64 ids, each sent as it is read, until the 3 ms are used.
    expect(reads).toEqual([64, 64, 64]);
    expect(sent.map((s) => s.ids.length)).toEqual([64, 64, 64]);
    expect(done).toBe(0);
    // A change during the pass: i5 (already sent) is sent again, i900 only once.
    live.set('i5', { ...doc('i5'), text: 'edited' });
    live.delete('i900');
    feed.changed(['i5', 'i900']);
    while (clock.runIdle(3) > 0);
    expect(done).toBe(1);
    expect(Math.max(...reads)).toBeLessThanOrEqual(64);
    const allIds = sent.flatMap((s) => s.ids);
    expect(allIds).toHaveLength(1001);
    expect(new Set(allIds).size).toBe(1000);
    expect(allIds.lastIndexOf('i5')).toBeGreaterThan(allIds.indexOf('i5'));
    expect(sent.flatMap((s) => s.docs).find((d) => d.id === 'i900')).toBeUndefined();
    expect(sent.at(-1)!.docs.find((d) => d.id === 'i5')?.text).toBe('edited');

    // After the pass: a change sends its ids alone, on the next idle time or on a query.
    sent.length = 0;
    reads.length = 0;
    feed.changed(['i7', 'i8']);
    feed.changed(['i7']);
    expect(feed.pending).toBe(2);
    feed.flush();
    expect(sent).toEqual([{ ids: ['i8', 'i7'], docs: [live.get('i8'), live.get('i7')] }]);
    expect(clock.runIdle(3)).toBe(1); // the scheduled slice finds nothing left
    expect(sent).toHaveLength(1);
    expect(done).toBe(1);
    expect(reads).toEqual([2]);
  });

  it('keeps an index equal to a rebuilt one through a first pass with writes, edits and removals', () => {
    const { ann, bob, group, f, docsOf } = searchTestGroup();
    const threads = Array.from({ length: 40 }, (_, i) =>
      f.discussion.startThread(ann, { title: `Seed swap ${i}`, body: `bring beans ${i}` }),
    );
    const replies = threads.map((th, i) => f.discussion.reply(bob, th, `purple beans ${i}`));
    const post = f.posts.createPost(ann, { title: 'Beans report', body: 'they climbed' });

    const clock = new FakeClock();
    const live = new SearchIndex();
    let done = false;
    const feed = new SearchFeed(
      {
        slots: () => searchSlots(group),
        docs: (ids) => {
          clock.t += 1;
          return docsOf(ids);
        },
      },
      {
        update: (ids, docs) => live.update(group.id, new Set(ids), docs),
        done: () => (done = true),
      },
      clock,
    );
    const sentIds: string[][] = [];
    const target = { update: live.update.bind(live) };
    live.update = (g, ids, docs) => {
      sentIds.push([...ids]);
      target.update(g, ids, docs);
    };
    group.onChange((c) => (c.members ? feed.queueAll() : feed.changed(c.items)));
    feed.start();
    clock.runIdle(1); // one read of 64 slots, then the group changes mid-pass
    f.discussion.edit(bob, replies[0]!, { body: 'purple peas' });
    f.posts.remove(ann, post);
    const late = f.discussion.reply(ann, threads[39]!, 'late climbing beans');
    while (clock.runIdle(1) > 0);
    expect(done).toBe(true);

    const rebuilt = new SearchIndex();
    rebuilt.load(group.id, docsOf());
    const plain = (ix: SearchIndex, q: string) =>
      ix.search(q, {}, 500).map((h) => [h.doc.id, h.score, h.doc.text]);
    for (const q of ['beans', 'peas', 'climb', 'seed swap', 'report', 'late']) {
      expect(plain(live, q)).toEqual(plain(rebuilt, q));
    }
    expect(live.size).toBe(rebuilt.size);
    expect(live.search('late')[0]?.doc.id).toBe(late);

    // Updates after the pass touch only the changed ids: no rebuild.
    sentIds.length = 0;
    const r2 = f.discussion.reply(bob, threads[1]!, 'tomatoes ripening');
    f.discussion.edit(bob, r2, { body: 'tomatoes ripe' });
    f.discussion.remove(ann, threads[2]!);
    while (clock.runIdle(5) > 0);
    expect(sentIds.flat().length).toBeLessThanOrEqual(4);
    expect(live.search('ripe').map((h) => h.doc.id)).toEqual([r2]);
    expect(live.search('swap 2').map((h) => h.doc.id)).not.toContain(threads[2]);
    expect(live.size).toBe(docsOf().length);
  });
});
