// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { parseInvite } from '../../core/invite/invite.ts';
import type { GroupHandle } from './GroupHandle.ts';
import { testHearth } from './testHearth.ts';

describe('unread counts through a group handle', () => {
  it('counts per tab from core, skipping what the reader wrote, and clears as they read', async () => {
    const { hearth: ann, handles: annHandles, mailbox } = await testHearth('Ann');
    const { hearth: bob, handles: bobHandles } = await testHearth('Bob', mailbox);
    const art = await ann.createGroup('Garden');
    await art.ready;
    const brt = await bob.join(parseInvite(await ann.inviteLink(art.entry.groupId)));
    await brt.ready;
    const a = (await annHandles.open(art.entry.groupId)) as GroupHandle;
    const b = (await bobHandles.open(brt.entry.groupId)) as GroupHandle;

    // Ann writes; Bob's device receives it through the mailbox.
    await ann.flushAll();
    await art.pullNow();
    const thread = a.discussion.startThread({ title: 'T', body: '' });
    a.discussion.reply(thread, 'one');
    const post = a.posts.createPost({ title: 'P', body: 'x' });
    await ann.flushAll();
    await brt.pullNow();
    b.discussion.reply(thread, 'mine');
    b.posts.createPost({ title: 'Own', body: 'y' });

    const before = b.unread();
    expect(before.total).toBe(3);
    expect(Object.fromEntries(before.byTab)).toEqual({ threads: 2, posts: 1 });
    expect(before.byParent.get(thread)).toBe(2);
    expect(before.byParent.get(post)).toBe(1);
    expect(before.byParent.size).toBe(2);

    const last = b.discussion.replies(thread).at(-1)!;
    await b.markRead(thread, last.createdAt, last.id);
    await b.markRead(post, b.posts.post(post)!.createdAt, post);
    expect(b.readMarker(thread)).toEqual({ at: last.createdAt, lastId: last.id });
    expect(b.unread().total).toBe(0);
    expect(b.unread().byTab.size).toBe(0);

    a.posts.comment(post, 'new comment');
    await ann.flushAll();
    await brt.pullNow();
    expect(Object.fromEntries(b.unread().byTab)).toEqual({ posts: 1 });
    // Reading left no trace in the group document.
    expect(brt.group.doc.share.has('reads')).toBe(false);
    await ann.close();
    await bob.close();
  });
});
