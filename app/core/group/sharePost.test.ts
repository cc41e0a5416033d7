import { describe, expect, it } from 'vitest';
import { createIdentity } from '../identity/Identity.ts';
import { Group } from './Group.ts';
import { GroupError } from './GroupError.ts';
import { sharePost } from './sharePost.ts';

const ann = createIdentity('Ann');
const bob = createIdentity('Bob');
const cat = createIdentity('Cat');

describe('sharePost', () => {
  it("copies a post with the original author's signature still verifiable", async () => {
    const from = Group.create({ name: 'Writers', me: ann });
    from.join(bob);
    const to = Group.create({ name: 'Family', me: bob });
    to.join(cat);
    const original = from.createPost(ann, { title: 'On bread', body: 'Knead it. @Bob' });
    from.edit(ann, original, { body: 'Knead it well. @Bob' });

    const id = sharePost(from, original, to, bob);
    const post = to.post(id)!;
    expect(post).toMatchObject({
      title: 'On bread',
      body: 'Knead it well. @Bob',
      author: bob.id,
      authorName: 'Bob',
      mentions: [],
      sharedFrom: {
        groupId: from.id,
        groupName: 'Writers',
        author: ann.id,
        authorName: 'Ann',
        originalId: original,
        originalCreatedAt: from.post(original)!.createdAt,
      },
    });
    expect(post.editedAt).toBe(from.post(original)!.editedAt);
    // Ann is not a member of "Family", yet her words verify as hers; Bob's wrapper too.
    expect((await to.verify([id])).get(id)).toBe('valid');

    // Re-sharing keeps the first origin.
    const third = Group.create({ name: 'Friends', me: cat });
    const again = sharePost(to, id, third, cat);
    expect(third.post(again)!.sharedFrom).toMatchObject({ groupName: 'Writers', author: ann.id });
    expect((await third.verify([again])).get(again)).toBe('valid');

    // Comments work on the copy; the copy cannot be edited, only removed by the sharer.
    to.comment(cat, id, 'Lovely');
    expect(to.post(id)!.commentCount).toBe(1);
    expect(() => to.edit(bob, id, { body: 'x' })).toThrow(GroupError);
    to.remove(bob, id);
    expect(to.posts()).toEqual([]);
  });

  it('a tampered original shows as forged', async () => {
    const from = Group.create({ name: 'Writers', me: ann });
    const to = Group.create({ name: 'Family', me: bob });
    const original = from.createPost(ann, { title: 'Real', body: 'real words' });
    const source = from.shareSource(original);
    const id = to.addShared(bob, {
      ...source,
      original: { ...source.original, body: 'words Ann never wrote' },
    });
    expect(to.post(id)!.body).toBe('words Ann never wrote');
    expect((await to.verify([id])).get(id)).toBe('forged');
  });

  it('the sharer must be a member of the target group', () => {
    const from = Group.create({ name: 'Writers', me: ann });
    const to = Group.create({ name: 'Family', me: bob });
    const original = from.createPost(ann, { title: 'T', body: 'b' });
    expect(() => sharePost(from, original, to, ann)).toThrow('Join this group');
  });
});
