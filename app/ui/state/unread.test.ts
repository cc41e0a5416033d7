// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { Group } from '../../core/group/Group.ts';
import { PersonalState } from '../../core/group/ReadState.ts';
import { createIdentity } from '../../core/identity/Identity.ts';

vi.stubGlobal('location', { hash: '' });
vi.stubGlobal('window', { addEventListener: () => {} });
const { unreadByTab } = await import('./unread.ts');

const ann = createIdentity('Ann');
const bob = createIdentity('Bob');

describe('unreadByTab', () => {
  it('splits unread counts between threads and posts, skipping what the reader wrote', () => {
    let t = 0;
    const g = Group.create({ name: 'G', me: ann, clock: () => (t += 10) });
    g.join(bob);
    const personal = PersonalState.create(bob.id);
    const thread = g.startThread(ann, { title: 'T', body: '' });
    g.reply(ann, thread, 'one');
    g.reply(bob, thread, 'mine');
    const post = g.createPost(ann, { title: 'P', body: 'x' });
    g.createPost(bob, { title: 'Own', body: 'y' });

    const before = unreadByTab(g, personal, bob.id);
    expect(before).toMatchObject({ threads: 2, posts: 1, total: 3 });
    expect(before.byParent.get(thread)).toBe(2);
    expect(before.byParent.get(post)).toBe(1);
    expect(before.byParent.size).toBe(2);

    const last = g.replies(thread).at(-1)!;
    personal.markRead(g.id, thread, last.createdAt, last.id);
    personal.markRead(g.id, post, g.post(post)!.createdAt, post);
    expect(unreadByTab(g, personal, bob.id)).toMatchObject({ threads: 0, posts: 0, total: 0 });

    g.comment(ann, post, 'new comment');
    expect(unreadByTab(g, personal, bob.id)).toMatchObject({ threads: 0, posts: 1, total: 1 });
    // Reading left no trace in the group document.
    expect(g.doc.share.has('reads')).toBe(false);
  });

  it('counts nothing without personal state', () => {
    const g = Group.create({ name: 'G', me: ann });
    g.startThread(ann, { title: 'T', body: '' });
    expect(unreadByTab(g, null, bob.id).total).toBe(0);
  });
});
