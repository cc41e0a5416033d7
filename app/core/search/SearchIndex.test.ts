import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MemberId } from '../crypto/keys.ts';
import type { SearchDoc } from '../features/Feature.ts';
import { highlight, type SearchHit, SearchIndex } from './SearchIndex.ts';
import { searchTestGroup } from './testGroup.ts';

const ANN = 'ann' as MemberId;
const BOB = 'bob' as MemberId;

const doc = (id: string, text: string, more: Partial<SearchDoc> = {}): SearchDoc => ({
  id,
  kind: 'reply',
  text,
  author: ANN,
  authorName: 'Ann',
  createdAt: 1000,
  place: { route: 'thread', params: { groupId: 'g', threadId: 't' } },
  ...more,
});

const ids = (hits: readonly SearchHit[]): string[] => hits.map((h) => h.doc.id);
const plain = (hits: readonly SearchHit[]) => hits.map((h) => [h.groupId, h.doc.id, h.score]);

describe('SearchIndex', () => {
  it('ranks title matches above text matches, then more matches, then newer', () => {
    const ix = new SearchIndex();
    ix.load('g', [
      doc('body', 'we should swap tomato seeds in spring', { createdAt: 5 }),
      doc('title', 'bring a list', { kind: 'thread', title: 'Tomato seeds' }),
      doc('twice', 'tomato tomato seeds, all the seeds', { createdAt: 1 }),
      doc('other', 'beans only'),
    ]);
    expect(ids(ix.search('tomato seeds'))).toEqual(['title', 'twice', 'body']);
    // Prefixes match while typing, and a typo still finds the word.
    expect(ids(ix.search('tomat'))).toContain('body');
    expect(ids(ix.search('tomatto'))).toContain('body');
    // Every word must match.
    expect(ids(ix.search('tomato beans'))).toEqual([]);
    expect(ix.search('   ')).toEqual([]);
    // Equal scores: newest first.
    ix.load('h', [doc('old', 'kale', { createdAt: 1 }), doc('new', 'kale', { createdAt: 2 })]);
    expect(ids(ix.search('kale'))).toEqual(['new', 'old']);
  });

  it('filters by group, kind and author', () => {
    const ix = new SearchIndex();
    ix.load('g1', [
      doc('a', 'compost heap'),
      doc('b', 'compost bin', { author: BOB, kind: 'post' }),
    ]);
    ix.load('g2', [doc('c', 'compost tea', { author: BOB })]);
    expect(ids(ix.search('compost')).sort()).toEqual(['a', 'b', 'c']);
    expect(ids(ix.search('compost', { groupId: 'g1' })).sort()).toEqual(['a', 'b']);
    expect(ids(ix.search('compost', { author: BOB })).sort()).toEqual(['b', 'c']);
    expect(ids(ix.search('compost', { kinds: ['post'] }))).toEqual(['b']);
    expect(ids(ix.search('compost', { kinds: [] })).sort()).toEqual(['a', 'b', 'c']);
    expect(ix.search('compost', { groupId: 'g2' })[0]!.groupId).toBe('g2');
    ix.dropGroup('g1');
    expect(ids(ix.search('compost'))).toEqual(['c']);
    expect(ix.size).toBe(1);
  });

  it('updates incrementally: edits, deletions and new documents', () => {
    const ix = new SearchIndex();
    ix.load('g', [doc('a', 'rhubarb crumble'), doc('b', 'apple pie')]);
    ix.update('g', new Set(['a']), [doc('a', 'rhubarb jam')]);
    expect(ids(ix.search('crumble'))).toEqual([]);
    expect(ids(ix.search('jam'))).toEqual(['a']);
    // An id named by the change with no document is gone (deleted).
    ix.update('g', new Set(['b', 'c']), [doc('c', 'apple sauce')]);
    expect(ids(ix.search('apple'))).toEqual(['c']);
    // A rename changes what results show without re-indexing.
    ix.update('g', new Set(['c']), [doc('c', 'apple sauce', { authorName: 'Annie' })]);
    expect(ix.search('apple')[0]!.doc.authorName).toBe('Annie');
    expect(ix.size).toBe(2);
  });

  it('an index built change by change gives the same results as one rebuilt at once', () => {
    const words = ['seed', 'bean', 'kale', 'leek', 'pea', 'soil', 'rain', 'frost'];
    const text = fc
      .array(fc.constantFrom(...words), { minLength: 1, maxLength: 8 })
      .map((w) => w.join(' '));
    const op = fc.record({
      id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
      text: fc.option(text, { nil: null }),
      at: fc.integer({ min: 0, max: 5 }),
    });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const live = new Map<string, SearchDoc>();
        const inc = new SearchIndex();
        for (const o of ops) {
          if (o.text === null) live.delete(o.id);
          else live.set(o.id, doc(o.id, o.text, { createdAt: o.at }));
          const d = live.get(o.id);
          inc.update('g', new Set([o.id]), d ? [d] : []);
        }
        const rebuilt = new SearchIndex();
        rebuilt.load('g', [...live.values()].reverse());
        for (const q of [...words, 'se', 'bean pea', 'rian']) {
          expect(plain(inc.search(q))).toEqual(plain(rebuilt.search(q)));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('highlights matched words in the title and a snippet around the first match', () => {
    const ix = new SearchIndex();
    const long = `${'filler '.repeat(60)}the Runner beans climb ${'more '.repeat(60)}`;
    ix.load('g', [doc('a', long, { title: 'Beans and peas' })]);
    const [hit] = ix.search('bean');
    expect(hit!.title).toEqual([
      { text: 'Beans', hit: true },
      { text: ' and peas', hit: false },
    ]);
    const snippet = hit!.snippet;
    expect(snippet[0]!.text.startsWith('…filler')).toBe(true);
    expect(snippet.at(-1)!.text.endsWith('more…')).toBe(true);
    expect(snippet.filter((s) => s.hit).map((s) => s.text)).toEqual(['beans']);
    expect(snippet.map((s) => s.text).join('').length).toBeLessThanOrEqual(170);
  });
});

describe('highlight', () => {
  it('marks words starting with a term, keeps the rest as plain text', () => {
    expect(highlight('Seeds, seedlings and  weeds', ['seed'], 100)).toEqual([
      { text: 'Seeds', hit: true },
      { text: ', ', hit: false },
      { text: 'seedlings', hit: true },
      { text: ' and weeds', hit: false },
    ]);
    expect(highlight('<b>x</b>', ['b'], 100)).toEqual([
      { text: '<', hit: false },
      { text: 'b', hit: true },
      { text: '>x</', hit: false },
      { text: 'b', hit: true },
      { text: '>', hit: false },
    ]);
    expect(highlight('', ['a'], 10)).toEqual([]);
  });
});

describe('SearchIndex following a group', () => {
  it('stays equal to a rebuilt index through writes, edits and deletions, via GroupChange ids', () => {
    const { ann, bob, group, f, docsOf } = searchTestGroup();
    const live = new SearchIndex();
    live.load(group.id, docsOf());
    group.onChange((c) => live.update(group.id, c.items, docsOf(c.items)));

    const th = f.discussion.startThread(ann, { title: 'Seed swap', body: 'bring beans' });
    const r = f.discussion.reply(bob, th, 'purple beans climb');
    const p = f.posts.createPost(ann, { title: 'Beans report', body: 'they climbed' });
    f.posts.comment(bob, p, 'beans everywhere');
    const s = f.sources.addSource(ann, { title: 'Bean guide', tags: ['beans'] });
    f.sources.annotate(bob, s, 'great beans chapter');
    f.discussion.edit(bob, r, { body: 'purple peas climb' });
    f.posts.remove(ann, p);

    const rebuilt = new SearchIndex();
    rebuilt.load(group.id, docsOf());
    for (const q of ['beans', 'peas', 'climb', 'bean guide', 'report']) {
      expect(plain(live.search(q))).toEqual(plain(rebuilt.search(q)));
    }
    expect(ids(live.search('peas'))).toEqual([r]);
    // The deleted post is gone; its comment stays (it is still shown in its post's page).
    expect(
      live
        .search('beans')
        .map((h) => h.doc.kind)
        .sort(),
    ).toEqual(['annotation', 'comment', 'source', 'thread'].sort());
  });
});
