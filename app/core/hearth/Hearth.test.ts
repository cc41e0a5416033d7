import { describe, expect, it } from 'vitest';
import { identityToJSON } from '../identity/Identity.ts';
import { parseInvite } from '../invite/invite.ts';
import { MemoryStorage } from '../storage/MemoryStorage.ts';
import { MemoryMailbox } from '../sync/MemoryMailbox.ts';
import { MemoryHub } from '../sync/MemoryTransport.ts';
import { Hearth, type HearthEnv } from './Hearth.ts';

const RELAY = 'ws://127.0.0.1:9/signal';

function env(storage: MemoryStorage, mailbox: MemoryMailbox, hub?: MemoryHub): HearthEnv {
  return {
    storage,
    origin: 'https://hearth.test',
    defaultRelay: RELAY,
    mailboxFor: () => mailbox,
    ...(hub ? { transportFor: async ({ doc }) => hub.transport(doc) } : {}),
  };
}

describe('Hearth', () => {
  it('sets up, creates a group and restores both after a restart', async () => {
    const storage = new MemoryStorage();
    const mailbox = new MemoryMailbox();
    const h = await Hearth.load(env(storage, mailbox));
    expect(h.identity).toBeNull();
    expect(() => h.me).toThrow(/display name/);
    await h.setUp('Alice');
    const rt = await h.createGroup('Garden club');
    const tid = rt.features.discussion.startThread(h.me, { title: 'Seeds', body: 'Bring seeds' });
    await h.flushAll();
    await h.close();

    const again = await Hearth.load(env(storage, mailbox));
    expect(again.identity?.name).toBe('Alice');
    expect(again.groups().map((g) => g.name)).toEqual(['Garden club']);
    const rt2 = await again.open(again.groups()[0]!.groupId);
    expect(rt2.features.discussion.thread(tid)?.title).toBe('Seeds');
    expect(rt2.group.isMember(again.me.id)).toBe(true);
    await again.close();
  });

  it('two devices that are never online together converge through the mailbox', async () => {
    const mailbox = new MemoryMailbox();
    const alice = await Hearth.load(env(new MemoryStorage(), mailbox));
    await alice.setUp('Alice');
    const art = await alice.createGroup('Book circle');
    await art.ready;
    const link = await alice.inviteLink(art.entry.groupId);
    art.features.discussion.startThread(alice.me, { title: 'March book', body: 'Dune?' });
    await alice.flushAll();
    await alice.close();

    const bob = await Hearth.load(env(new MemoryStorage(), mailbox));
    await bob.setUp('Bob');
    const invite = parseInvite(link);
    expect(invite.inviterName).toBe('Alice');
    const brt = await bob.join(invite);
    await brt.ready;
    await brt.pullNow();
    expect(brt.features.discussion.threads().map((t) => t.title)).toEqual(['March book']);
    expect(
      brt.group
        .members()
        .map((m) => m.name)
        .sort(),
    ).toEqual(['Alice', 'Bob']);
    // joining twice only opens the group
    expect(await bob.join(invite)).toBe(brt);
    expect(bob.groups()).toHaveLength(1);
    await bob.close();
  });

  it('keeps syncing through the mailbox when live sync cannot start', async () => {
    const mailbox = new MemoryMailbox();
    const broken: HearthEnv = {
      ...env(new MemoryStorage(), mailbox),
      transportFor: async () => {
        throw new Error('Failed to fetch dynamically imported module');
      },
    };
    const alice = await Hearth.load(broken);
    await alice.setUp('Alice');
    const art = await alice.createGroup('Walks');
    await art.ready;
    expect(art.status?.transport).toBe('disconnected');
    const link = await alice.inviteLink(art.entry.groupId);
    art.features.discussion.startThread(alice.me, { title: 'Sunday', body: 'Up the hill' });
    await alice.flushAll();
    expect(art.status?.pendingUploads).toBe(0);
    await alice.close();

    const bob = await Hearth.load(env(new MemoryStorage(), mailbox));
    await bob.setUp('Bob');
    const brt = await bob.join(parseInvite(link));
    await brt.ready;
    await brt.pullNow();
    expect(brt.features.discussion.threads().map((t) => t.title)).toEqual(['Sunday']);
    await bob.close();
  });

  it('live peers sync through the transport; read markers stay out of the group', async () => {
    const mailbox = new MemoryMailbox();
    const hub = new MemoryHub();
    const alice = await Hearth.load(env(new MemoryStorage(), mailbox, hub));
    const bob = await Hearth.load(env(new MemoryStorage(), mailbox, hub));
    await alice.setUp('Alice');
    await bob.setUp('Bob');
    const art = await alice.createGroup('Co-op');
    const brt = await bob.join(parseInvite(await alice.inviteLink(art.entry.groupId)));
    await Promise.all([art.ready, brt.ready]);
    const tid = art.features.discussion.startThread(alice.me, { title: 'Budget', body: 'Numbers' });
    expect(brt.features.discussion.thread(tid)?.title).toBe('Budget');
    await bob.markRead(brt.entry.groupId, tid, Date.now());
    expect(bob.personal?.get(brt.entry.groupId, tid)).toBeDefined();
    expect(JSON.stringify(art.group.doc.toJSON())).not.toContain('reads');
    await alice.close();
    await bob.close();
  });

  it('skips a damaged registry row instead of losing the other groups', async () => {
    const storage = new MemoryStorage();
    const mailbox = new MemoryMailbox();
    const h = await Hearth.load(env(storage, mailbox));
    await h.setUp('Alice');
    await h.createGroup('Kept');
    await h.close();
    await storage.save(['groups', 'broken'], new TextEncoder().encode('{not json'));
    const again = await Hearth.load(env(storage, mailbox));
    expect(again.groups().map((g) => g.name)).toEqual(['Kept']);
    await again.close();
  });
});

describe('start-up', () => {
  it('starts a group’s sync only after the next paint, and checks the identity then', async () => {
    const storage = new MemoryStorage();
    const mailbox = new MemoryMailbox();
    const h = await Hearth.load(env(storage, mailbox));
    await h.setUp('Alice');
    const gid = (await h.createGroup('Choir')).entry.groupId;
    await h.close();

    let paint: () => void = () => {};
    const painted = new Promise<void>((resolve) => {
      paint = resolve;
    });
    const again = await Hearth.load({
      ...env(storage, mailbox),
      afterPaint: () => painted,
    });
    expect(again.identity?.name).toBe('Alice');
    const rt = await again.open(gid);
    expect(rt.group.info().name).toBe('Choir');
    for (let i = 0; i < 50; i++) await Promise.resolve();
    // No sync session yet: nothing was asked of the mailbox or the transport.
    expect(rt.status).toBeUndefined();
    paint();
    await rt.ready;
    await again.identityChecked;
    expect(rt.status).toBeDefined();
    await again.close();
  });

  it('loads a damaged identity, then reports it once the keys are checked', async () => {
    const storage = new MemoryStorage();
    const mailbox = new MemoryMailbox();
    const h = await Hearth.load(env(storage, mailbox));
    await h.setUp('Alice');
    await h.close();
    const other = await Hearth.load(env(new MemoryStorage(), mailbox));
    await other.setUp('Bob');
    const stored = JSON.parse(new TextDecoder().decode(await storage.load(['identity'])));
    stored.signingSeed = identityToJSON(other.me).signingSeed;
    await storage.save(['identity'], new TextEncoder().encode(JSON.stringify(stored)));

    const again = await Hearth.load(env(storage, mailbox));
    expect(again.identity?.name).toBe('Alice');
    await expect(again.identityChecked).rejects.toMatchObject({ code: 'bad-key' });
    await again.close();
    await other.close();
  });
});

describe('sharing a post between two of my groups', () => {
  it('keeps the author and origin, verifies, and survives a restart', async () => {
    const storage = new MemoryStorage();
    const mailbox = new MemoryMailbox();
    const h = await Hearth.load(env(storage, mailbox));
    await h.setUp('Alice');
    const from = await h.createGroup('Writers');
    const to = await h.createGroup('Family');
    const original = from.features.posts.createPost(h.me, { title: 'On bread', body: 'Knead.' });
    const id = await h.sharePost(from.entry.groupId, original, to.entry.groupId);
    expect(to.features.posts.post(id)?.sharedFrom).toMatchObject({
      groupName: 'Writers',
      author: h.me.id,
      originalId: original,
    });
    expect((await to.group.verify([id])).get(id)).toBe('valid');
    await h.close();
    const again = await Hearth.load(env(storage, mailbox));
    const rt = await again.open(to.entry.groupId);
    expect(rt.features.posts.post(id)).toMatchObject({ title: 'On bread', body: 'Knead.' });
    await again.close();
  });
});

describe('invites record who invited whom', () => {
  it('the joiner’s member record names the inviter', async () => {
    const mailbox = new MemoryMailbox();
    const alice = await Hearth.load(env(new MemoryStorage(), mailbox));
    const bob = await Hearth.load(env(new MemoryStorage(), mailbox));
    await alice.setUp('Alice');
    await bob.setUp('Bob');
    const art = await alice.createGroup('Choir');
    const invite = parseInvite(await alice.inviteLink(art.entry.groupId));
    expect(invite.inviterId).toBe(alice.me.id);
    const brt = await bob.join(invite);
    expect(brt.group.member(bob.me.id)?.invitedBy).toBe(alice.me.id);
    await alice.close();
    await bob.close();
  });
});
