import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { deriveEpochKeys, deriveNoteKey } from '../../crypto/keys.ts';
import { seal } from '../../crypto/sealed.ts';
import { Hearth, type HearthEnv } from '../../hearth/Hearth.ts';
import { parseInvite } from '../../invite/invite.ts';
import { MemoryStorage } from '../../storage/MemoryStorage.ts';
import { MemoryMailbox } from '../../sync/MemoryMailbox.ts';

const env = (storage: MemoryStorage, mailbox: MemoryMailbox): HearthEnv => ({
  storage,
  origin: 'https://hearth.test',
  defaultRelay: 'ws://127.0.0.1:9/signal',
  mailboxFor: () => mailbox,
});

const SECRET = 'the compost recipe nobody else may read';

describe('NoteDocs: each note’s text in its own sealed document', () => {
  it('syncs a note through the mailbox alone, sealed on the device and at the relay', async () => {
    const mailbox = new MemoryMailbox();
    const annStorage = new MemoryStorage();
    const ann = await Hearth.load(env(annStorage, mailbox));
    await ann.setUp('Ann');
    const art = await ann.createGroup('Lab');
    await art.ready;
    const id = art.features.notes.createNote(ann.me, 'Compost');
    const note = await art.notes.open(id);
    note.text.insert(0, SECRET);
    art.features.notes.recordRevision(ann.me, id, note.text.toString());
    await ann.flushAll();
    // Opening the group reads none of the note's rows.
    expect((await annStorage.loadRange(['doc', art.entry.groupId])).length).toBeGreaterThan(0);
    expect((await annStorage.loadRange(['note', art.entry.groupId, id])).length).toBeGreaterThan(0);
    const link = await ann.inviteLink(art.entry.groupId);
    await ann.close();

    // Nothing stored or relayed holds the text.
    const noteKeys = deriveEpochKeys(deriveNoteKey(art.entry.groupKey, id));
    expect(mailbox.stats(noteKeys.roomId).entries).toBeGreaterThan(0);
    for (const { data } of await annStorage.loadRange([])) {
      expect(String.fromCharCode(...data)).not.toContain('compost recipe');
    }

    // Bob, never online with Ann, opens the note and reads what she wrote.
    const bob = await Hearth.load(env(new MemoryStorage(), mailbox));
    await bob.setUp('Bob');
    const brt = await bob.join(parseInvite(link));
    await brt.ready;
    await brt.pullNow();
    const rev = brt.features.notes.revisions(id)[0]!;
    const bnote = await brt.notes.open(id);
    await bnote.pullNow();
    expect(bnote.text.toString()).toBe(SECRET);
    expect(brt.features.notes.matches(rev, bnote.text.toString())).toBe(true);
    // Opening twice shares one document.
    expect(await brt.notes.open(id)).toBe(bnote);
    // Search sees the title always, and the text of a note opened here.
    const [doc] = brt.features.notes.searchable(new Set([id]));
    expect(doc).toMatchObject({ kind: 'note', title: 'Compost', text: SECRET });
    await bob.close();
  });

  it('refuses a hostile update from the note’s mailbox room (checkUpdate)', async () => {
    const mailbox = new MemoryMailbox();
    const ann = await Hearth.load(env(new MemoryStorage(), mailbox));
    await ann.setUp('Ann');
    const art = await ann.createGroup('Lab');
    await art.ready;
    const id = art.features.notes.createNote(ann.me, 'Target');
    const keys = deriveEpochKeys(deriveNoteKey(art.entry.groupKey, id));
    // A key holder uploads an update with a junk root type nobody can ever remove.
    const junk = new Y.Doc();
    for (let i = 0; i < 100; i++) junk.getMap(`junk${i}`).set('k', i);
    await mailbox.push(
      keys.roomId,
      keys.mailbox,
      seal(keys.storeKey, Y.encodeStateAsUpdate(junk)),
      {
        kind: 'update',
      },
    );
    const note = await art.notes.open(id);
    await note.pullNow();
    expect(note.status?.skipped).toBe(1);
    expect([...note.doc.share.keys()]).toEqual(['text']);
    await ann.close();
  });
});
