// The whole path in Node: a key holder who is not a member uploads a snapshot that supersedes
// the group's mailbox log. The members' devices notice that it lacks their records and
// upload their own, so a member who joins afterwards still gets everything.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deriveEpochKeys } from '../crypto/keys.ts';
import { seal } from '../crypto/sealed.ts';
import { RECORDS_MAP } from '../group/records.ts';
import { parseInvite } from '../invite/invite.ts';
import { MemoryStorage } from '../storage/MemoryStorage.ts';
import { MemoryMailbox } from '../sync/MemoryMailbox.ts';
import { Hearth, type HearthEnv } from './Hearth.ts';

const env = (mailbox: MemoryMailbox): HearthEnv => ({
  storage: new MemoryStorage(),
  origin: 'https://hearth.test',
  defaultRelay: 'ws://127.0.0.1:9/signal',
  mailboxFor: () => mailbox,
});

describe('a snapshot that erases the mailbox log', () => {
  it('is answered by members re-uploading, so a later joiner gets everything', async () => {
    const mailbox = new MemoryMailbox();
    const alice = await Hearth.load(env(mailbox));
    await alice.setUp('Alice');
    const art = await alice.createGroup('Allotment');
    await art.ready;
    const link = await alice.inviteLink(art.entry.groupId);
    const tid = art.features.discussion.startThread(alice.me, {
      title: 'Water rota',
      body: 'Mondays?',
    });
    await alice.flushAll();

    // Mallory holds the key from the link and supersedes everything with an empty state.
    const invite = parseInvite(link);
    const keys = deriveEpochKeys(invite.groupKey);
    const junk = new Y.Doc();
    junk.getMap(RECORDS_MAP).set('junk', { kind: 'thread', title: 'AAAA' });
    junk.getMap('meta').set('name', 'AAAA');
    const { lastSeq } = mailbox.stats(keys.roomId);
    await mailbox.push(
      keys.roomId,
      keys.mailbox,
      seal(keys.storeKey, Y.encodeStateAsUpdate(junk)),
      {
        kind: 'snapshot',
        supersedes: lastSeq,
      },
    );
    expect(mailbox.stats(keys.roomId).entries).toBe(1);

    // Alice's device pulls, notices, and uploads its own snapshot.
    await art.pullNow();
    await alice.flushAll();
    expect(art.features.discussion.thread(tid)?.title).toBe('Water rota');

    const bob = await Hearth.load(env(mailbox));
    await bob.setUp('Bob');
    const brt = await bob.join(invite);
    await brt.ready;
    await brt.pullNow();
    expect(brt.group.info().name).toBe('Allotment');
    expect(brt.features.discussion.thread(tid)?.title).toBe('Water rota');
    expect(brt.group.isMember(alice.me.id)).toBe(true);
    await alice.close();
    await bob.close();
  });
});
