import { describe, expect, it } from 'vitest';
import type { GroupId } from '../../crypto/keys.ts';
import { Group } from '../../group/Group.ts';
import type { GroupErrorCode } from '../../group/GroupError.ts';
import { createIdentity, type Identity } from '../../identity/Identity.ts';
import { FEATURE_KINDS, featuresOf } from '../registry.ts';
import { codeOf } from '../testing.ts';
import { type PostRecord, sharePost } from './index.ts';

const ann = createIdentity('Ann');
const bob = createIdentity('Bob');
const cat = createIdentity('Cat');

function make(name: string, me: Identity, ...others: Identity[]) {
  let t = 1_000_000;
  const group = Group.create({ name, me, clock: () => (t += 10), kinds: FEATURE_KINDS });
  for (const o of others) group.join(o);
  return { group, ...featuresOf(group) };
}

describe('Posts: posts and comments', () => {
  it('mirror threads and replies', () => {
    const { posts, discussion } = make('Garden', ann, bob);
    const p = posts.createPost(bob, { title: 'Harvest report', body: '# Big\n\nLots of squash.' });
    const p2 = posts.createPost(ann, { title: 'Second', body: '' });
    expect(posts.posts().map((x) => x.id)).toEqual([p2, p]);
    const c1 = posts.comment(ann, p, 'Great!');
    const c2 = posts.comment(bob, p, 'Thanks', c1);
    expect(posts.posts().map((x) => [x.id, x.commentCount])).toEqual([
      [p, 2],
      [p2, 0],
    ]);
    expect(posts.post(p)).toMatchObject({
      kind: 'post',
      title: 'Harvest report',
      body: '# Big\n\nLots of squash.',
      authorName: 'Bob',
      status: 'valid',
      deleted: false,
    });
    expect(posts.post(p)!.sharedFrom).toBeUndefined();
    expect(posts.post(p)!.lastActivity).toBe(posts.item(c2)!.createdAt);
    const comments = posts.comments(p);
    expect(comments.map((c) => [c.id, c.kind, c.postId, c.body])).toEqual([
      [c1, 'comment', p, 'Great!'],
      [c2, 'comment', p, 'Thanks'],
    ]);
    expect(comments[1]!.quoteOf).toBe(c1);
    // Posts are not threads.
    expect(discussion.replies(p)).toEqual([]);
    expect(discussion.threads()).toEqual([]);
    expect(discussion.item(p)).toBeUndefined();
    expect(posts.conversations().map((c) => [c.id, c.tab])).toEqual([
      [p, 'posts'],
      [p2, 'posts'],
    ]);
    expect(posts.countSince(p, -1, bob.id)).toBe(1);
  });

  it('validates input with plain errors', () => {
    const { posts, discussion } = make('Garden', ann, bob);
    const p = posts.createPost(ann, { title: 'P', body: 'b' });
    const t = discussion.startThread(ann, { title: 'T', body: '' });
    const c = posts.comment(ann, p, 'c');
    const other = posts.createPost(ann, { title: 'Q', body: '' });
    const cases: [() => unknown, GroupErrorCode][] = [
      [() => posts.createPost(cat, { title: 'x', body: '' }), 'not-a-member'],
      [() => posts.createPost(ann, { title: ' ', body: '' }), 'empty'],
      [() => posts.createPost(ann, { title: 'x', body: 'x'.repeat(100_001) }), 'too-long'],
      [() => posts.comment(ann, t, 'hi'), 'not-found'],
      [() => posts.comment(ann, p, ' '), 'empty'],
      [() => posts.comment(ann, p, 'x'.repeat(20_001)), 'too-long'],
      [() => posts.comment(ann, other, 'hi', c), 'bad-quote'],
      [() => posts.edit(ann, c, { title: 'no' }), 'wrong-kind'],
      [() => posts.edit(bob, p, { body: 'mine now' }), 'not-author'],
      [() => posts.edit(ann, t, { body: 'a thread' }), 'not-found'],
    ];
    for (const [f, code] of cases) expect(codeOf(f)).toBe(code);
    // Posts are long-form: far longer bodies than threads.
    const long = posts.createPost(ann, { title: 'Long', body: 'x'.repeat(100_000) });
    expect(posts.post(long)!.body).toHaveLength(100_000);
  });

  it('edits and deletes like threads', async () => {
    const { group, posts } = make('Garden', ann, bob);
    const p = posts.createPost(ann, { title: 'Draft', body: 'v1' });
    const c = posts.comment(bob, p, 'hm');
    posts.edit(ann, p, { title: 'Final', body: 'v2 @bob' });
    expect(posts.post(p)).toMatchObject({ title: 'Final', body: 'v2 @bob', mentions: [bob.id] });
    expect(posts.post(p)!.editedAt).toBeGreaterThan(posts.post(p)!.createdAt);
    posts.remove(bob, c);
    expect(posts.comments(p).map((x) => [x.id, x.deleted])).toEqual([[c, true]]);
    expect(posts.post(p)!.commentCount).toBe(0);
    posts.remove(ann, p);
    expect(posts.posts()).toEqual([]);
    expect(posts.post(p)).toMatchObject({ deleted: true, title: '', body: '' });
    expect(codeOf(() => posts.comment(bob, p, 'late'))).toBe('deleted');
    expect(Object.fromEntries(await group.verify([p, c]))).toEqual({ [p]: 'valid', [c]: 'valid' });
  });

  it('recent lists posts and comments', () => {
    const { group, posts } = make('Garden', ann, bob);
    const p = posts.createPost(ann, { title: 'Jam', body: '' });
    const c = posts.comment(bob, p, 'Yum');
    expect(posts.recent(10).map((a) => [a.id, a.action])).toEqual([
      [c, 'commented on “Jam”'],
      [p, 'posted “Jam”'],
    ]);
    expect(posts.recent(10)[0]!.place).toEqual({
      route: 'post',
      params: { groupId: group.id, postId: p },
    });
  });
});

describe('Posts: sharing between groups', () => {
  it('keeps the original signed record, its signature and its attribution', async () => {
    const from = make('Writers', ann, bob);
    const to = make('Family', bob, cat);
    const original = from.posts.createPost(ann, { title: 'On bread', body: 'Knead it. @Bob' });
    from.posts.edit(ann, original, { body: 'Knead it well. @Bob' });

    const id = sharePost(from.posts, original, to.posts, bob);
    const post = to.posts.post(id)!;
    expect(post).toMatchObject({
      title: 'On bread',
      body: 'Knead it well. @Bob',
      author: bob.id,
      authorName: 'Bob',
      mentions: [],
      sharedFrom: {
        groupId: from.group.id,
        groupName: 'Writers',
        author: ann.id,
        authorName: 'Ann',
        originalId: original,
        originalCreatedAt: from.posts.post(original)!.createdAt,
      },
    });
    expect(post.editedAt).toBe(from.posts.post(original)!.editedAt);
    // The copy carries Ann's newest signed version whole, signature included.
    const stored = to.group.head<PostRecord>(id)!;
    expect(stored.sharedFrom!.original).toEqual(from.group.head(original));
    expect(stored.sharedFrom!.original.sig).toBe(from.group.head(original)!.sig);
    // Ann is not a member of "Family", yet her words verify as hers; Bob's wrapper too.
    expect((await to.group.verify([id])).get(id)).toBe('valid');
    expect(to.posts.recent(1)[0]!.action).toBe('shared “On bread” from Writers');

    // Re-sharing keeps the first origin.
    const third = make('Friends', cat);
    const again = sharePost(to.posts, id, third.posts, cat);
    expect(third.posts.post(again)!.sharedFrom).toMatchObject({
      groupId: from.group.id,
      groupName: 'Writers',
      author: ann.id,
    });
    expect(third.group.head<PostRecord>(again)!.sharedFrom!.original.sig).toBe(
      stored.sharedFrom!.original.sig,
    );
    expect((await third.group.verify([again])).get(again)).toBe('valid');

    // Comments work on the copy; the copy cannot be edited, only removed by the sharer.
    to.posts.comment(cat, id, 'Lovely');
    expect(to.posts.post(id)!.commentCount).toBe(1);
    expect(codeOf(() => to.posts.edit(bob, id, { body: 'x' }))).toBe('not-editable');
    expect(codeOf(() => to.posts.remove(cat, id))).toBe('not-author');
    to.posts.remove(bob, id);
    expect(to.posts.posts()).toEqual([]);
    expect(codeOf(() => to.posts.shareSource(id))).toBe('deleted');
  });

  it('a tampered original shows as forged', async () => {
    const from = make('Writers', ann);
    const to = make('Family', bob);
    const original = from.posts.createPost(ann, { title: 'Real', body: 'real words' });
    const source = from.posts.shareSource(original);
    const id = to.posts.addShared(bob, {
      ...source,
      original: { ...source.original, body: 'words Ann never wrote' },
    });
    expect(to.posts.post(id)!.body).toBe('words Ann never wrote');
    // Even on the sharer's own device it is not taken on trust before the check.
    expect(to.posts.post(id)!.status).toBe('checking');
    expect((await to.group.verify([id])).get(id)).toBe('forged');
    expect(to.posts.posts()).toEqual([]);
  });

  it('an original claimed from another group than it was signed in shows as forged', async () => {
    const from = make('Writers', ann);
    const to = make('Family', bob);
    const original = from.posts.createPost(ann, { title: 'Real', body: 'real words' });
    const source = from.posts.shareSource(original);
    const id = to.posts.addShared(bob, { ...source, groupId: to.group.id as GroupId });
    expect((await to.group.verify([id])).get(id)).toBe('forged');
    // The honest share still verifies.
    const honest = to.posts.addShared(bob, source);
    expect((await to.group.verify([honest])).get(honest)).toBe('valid');
  });

  it('the sharer must be a member of the target group', () => {
    const from = make('Writers', ann);
    const to = make('Family', bob);
    const original = from.posts.createPost(ann, { title: 'T', body: 'b' });
    expect(codeOf(() => sharePost(from.posts, original, to.posts, ann))).toBe('not-a-member');
    expect(to.posts.posts()).toEqual([]);
  });
});
