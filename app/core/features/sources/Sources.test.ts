import { describe, expect, it } from 'vitest';
import type { GroupErrorCode } from '../../group/GroupError.ts';
import { createIdentity } from '../../identity/Identity.ts';
import { featureList, featuresOf } from '../registry.ts';
import { codeOf, groupOfTwo } from '../testing.ts';

const ann = createIdentity('Ann');
const bob = createIdentity('Bob');
const eve = createIdentity('Eve'); // never joins

const setup = () => groupOfTwo(ann, bob);

describe('Sources: the library', () => {
  it('adds, lists newest first, edits, annotates and deletes', () => {
    const { sources } = setup();
    const a = sources.addSource(ann, {
      title: '  Beans   of the world ',
      url: 'https://example.org/beans',
      authors: ['Jane Doe', ' ', 'Jane Doe', 'R. Roe'],
      date: '2020',
      excerpt: 'Beans climb.',
      tags: ['#Beans', 'soil'],
    });
    const b = sources.addSource(bob, { title: 'Soil', doi: 'doi:10.1234/SOIL' });
    expect(sources.sources().map((s) => s.id)).toEqual([b, a]);
    expect(sources.source(a)).toMatchObject({
      title: 'Beans of the world',
      url: 'https://example.org/beans',
      key: 'example.org/beans',
      authors: ['Jane Doe', 'R. Roe'],
      date: '2020',
      excerpt: 'Beans climb.',
      tags: ['beans', 'soil'],
      authorName: 'Ann',
      annotationCount: 0,
      citationCount: 0,
    });
    expect(sources.source(b)).toMatchObject({ doi: '10.1234/soil', key: 'doi:10.1234/soil' });
    expect(sources.tags()).toEqual([
      { tag: 'beans', count: 1 },
      { tag: 'soil', count: 1 },
    ]);
    // Only the author edits; a field left empty is dropped.
    expect(codeOf(() => sources.editSource(bob, a, { title: 'Mine' }))).toBe('not-author');
    sources.editSource(ann, a, { title: 'Beans', excerpt: 'Climbing beans.' });
    expect(sources.source(a)).toMatchObject({ title: 'Beans', authors: [], tags: [] });
    expect(sources.source(a)!.url).toBeUndefined();
    // Every member annotates with a record of their own.
    const n1 = sources.annotate(bob, a, 'See page 4');
    const n2 = sources.annotate(ann, a, 'Agreed');
    expect(sources.annotations(a).map((n) => [n.id, n.body, n.authorName])).toEqual([
      [n1, 'See page 4', 'Bob'],
      [n2, 'Agreed', 'Ann'],
    ]);
    expect(codeOf(() => sources.editAnnotation(ann, n1, 'hijack'))).toBe('not-author');
    sources.editAnnotation(bob, n1, 'See page 5');
    expect(sources.annotations(a)[0]!.body).toBe('See page 5');
    sources.remove(bob, n1);
    expect(sources.source(a)!.annotationCount).toBe(1);
    sources.remove(ann, a);
    expect(sources.sources().map((s) => s.id)).toEqual([b]);
    expect(codeOf(() => sources.annotate(bob, a, 'late'))).toBe('deleted');
  });

  it('refuses bad input with plain errors, and writes nothing', () => {
    const { sources, discussion } = setup();
    const t = discussion.startThread(ann, { title: 'T', body: '' });
    const cases: [() => unknown, GroupErrorCode][] = [
      [() => sources.addSource(eve, { title: 'x' }), 'not-a-member'],
      [() => sources.addSource(ann, { title: '  ' }), 'empty'],
      [() => sources.addSource(ann, { title: 'x', url: 'not a link' }), 'bad-url'],
      [() => sources.addSource(ann, { title: 'x', url: 'javascript:alert(1)' }), 'bad-url'],
      [() => sources.addSource(ann, { title: 'x', doi: 'nope' }), 'bad-url'],
      [() => sources.addSource(ann, { title: 'x', tags: ['t'.repeat(41)] }), 'too-long'],
      [() => sources.annotate(ann, t, 'not a source'), 'not-found'],
      [() => sources.remove(ann, t), 'not-found'],
    ];
    for (const [f, code] of cases) expect(codeOf(f)).toBe(code);
    expect(sources.sources()).toEqual([]);
  });

  it('finds duplicates by normalised link or DOI, and refuses them unless asked', () => {
    const { sources } = setup();
    const a = sources.addSource(ann, {
      title: 'A',
      url: 'https://www.example.org/x/?utm_source=m',
    });
    const d = sources.addSource(ann, { title: 'D', url: 'https://doi.org/10.5555/ABC' });
    expect(sources.duplicatesOf({ url: 'http://example.org/x#top' }).map((s) => s.id)).toEqual([a]);
    expect(sources.duplicatesOf({ url: 'http://example.org/x' }, a)).toEqual([]);
    expect(sources.duplicatesOf({ doi: '10.5555/abc' }).map((s) => s.id)).toEqual([d]);
    expect(sources.duplicatesOf({ url: 'https://example.org/y' })).toEqual([]);
    expect(sources.duplicatesOf({})).toEqual([]);
    expect(codeOf(() => sources.addSource(bob, { title: 'Again', url: 'example.org/x' }))).toBe(
      'duplicate',
    );
    expect(codeOf(() => sources.addSource(bob, { title: 'Again', doi: '10.5555/abc' }))).toBe(
      'duplicate',
    );
    const again = sources.addSource(bob, { title: 'Again', url: 'example.org/x' }, true);
    expect(
      sources
        .duplicatesOf({ url: 'example.org/x' })
        .map((s) => s.id)
        .sort(),
    ).toEqual([a, again].sort());
  });

  it('cites a source from any item and lists where it is cited', () => {
    const { sources, discussion, posts } = setup();
    const s = sources.addSource(ann, { title: 'Beans', url: 'https://example.org/b' });
    const t = discussion.startThread(ann, { title: 'T', body: '' });
    const r = discussion.reply(bob, t, 'r');
    const p = posts.createPost(bob, { title: 'P', body: '' });
    const c1 = sources.cite(ann, t, s);
    const c2 = sources.cite(bob, p, s);
    sources.cite(bob, r, s);
    expect(sources.citationsOf(s).map((c) => [c.id, c.from, c.authorName])).toEqual([
      [c1, t, 'Ann'],
      [c2, p, 'Bob'],
      [expect.any(String), r, 'Bob'],
    ]);
    expect(sources.citationsFrom(t).map((c) => c.sourceId)).toEqual([s]);
    expect(sources.source(s)!.citationCount).toBe(3);
    const cases: [() => unknown, GroupErrorCode][] = [
      [() => sources.cite(bob, t, s), 'already-cited'],
      [() => sources.cite(ann, s, s), 'wrong-kind'],
      [() => sources.cite(ann, t, t), 'not-found'],
      [() => sources.cite(ann, 'Q'.repeat(16), s), 'not-found'],
      [() => sources.cite(eve, t, s), 'not-a-member'],
      [() => sources.remove(bob, c1), 'not-author'],
    ];
    for (const [f, code] of cases) expect(codeOf(f)).toBe(code);
    sources.remove(ann, c1);
    expect(sources.citationsFrom(t)).toEqual([]);
    expect(sources.citationsOf(s).map((c) => c.from)).toEqual([p, r]);
    // A deleted source is no longer shown as cited.
    sources.remove(ann, s);
    expect(sources.citationsFrom(p)).toEqual([]);
  });

  it('offers sources and annotations to search, and its activity to Home', () => {
    const { group, sources } = setup();
    const s = sources.addSource(ann, {
      title: 'Beans',
      url: 'https://example.org/b',
      authors: ['Jane Doe'],
      tags: ['legumes'],
      excerpt: 'They climb.',
    });
    const n = sources.annotate(bob, s, 'Great chart');
    const docs = featureList(featuresOf(group)).flatMap((f) => f.searchable?.() ?? []);
    const place = { route: 'source', params: { groupId: group.id, sourceId: s } };
    expect(docs.find((d) => d.id === s)).toMatchObject({
      kind: 'source',
      title: 'Beans',
      text: 'Jane Doe\nThey climb.\n#legumes\nhttps://example.org/b',
      place,
    });
    expect(docs.find((d) => d.id === n)).toMatchObject({
      kind: 'annotation',
      text: 'Great chart',
      place,
    });
    expect(sources.recent(10).map((a) => a.action)).toEqual([
      'annotated “Beans”',
      'added the source “Beans”',
    ]);
  });
});
