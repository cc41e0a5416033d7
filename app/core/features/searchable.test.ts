import { describe, expect, it } from 'vitest';
import { Group } from '../group/Group.ts';
import { createIdentity } from '../identity/Identity.ts';
import { FEATURE_KINDS, featureList, featuresOf } from './registry.ts';

const ann = createIdentity('Ann');
const bob = createIdentity('Bob');

describe('searchable: what features offer search', () => {
  it('threads, replies, posts and comments, live ones only, all or by id', () => {
    let t = 1_000;
    const group = Group.create({
      name: 'G',
      me: ann,
      clock: () => (t += 10),
      kinds: FEATURE_KINDS,
    });
    group.join(bob);
    const f = featuresOf(group);
    const th = f.discussion.startThread(ann, { title: 'Seed swap', body: 'Bring beans' });
    const r = f.discussion.reply(bob, th, 'I have squash');
    const p = f.posts.createPost(ann, { title: 'Compost', body: 'Turn it weekly' });
    const c = f.posts.comment(bob, p, 'Mine smells');
    const gone = f.discussion.reply(bob, th, 'oops');
    f.discussion.remove(bob, gone);
    const all = featureList(f).flatMap((x) => x.searchable?.() ?? []);
    expect(all.map((d) => [d.kind, d.title, d.text, d.authorName]).sort()).toEqual(
      [
        ['thread', 'Seed swap', 'Bring beans', 'Ann'],
        ['reply', undefined, 'I have squash', 'Bob'],
        ['post', 'Compost', 'Turn it weekly', 'Ann'],
        ['comment', undefined, 'Mine smells', 'Bob'],
      ].sort(),
    );
    expect(all.find((d) => d.id === r)!.place).toEqual({
      route: 'thread',
      params: { groupId: group.id, threadId: th },
    });
    expect(all.find((d) => d.id === c)!.place).toEqual({
      route: 'post',
      params: { groupId: group.id, postId: p },
    });
    // By id: only the ids asked for, and a deleted one gives nothing.
    expect(f.discussion.searchable(new Set([r, gone, p])).map((d) => d.id)).toEqual([r]);
    expect(f.posts.searchable(new Set([r, gone, p])).map((d) => d.id)).toEqual([p]);
  });
});
