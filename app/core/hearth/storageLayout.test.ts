import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../storage/MemoryStorage.ts';
import { hasPrefix } from '../storage/StorageAdapter.ts';
import { MemoryMailbox } from '../sync/MemoryMailbox.ts';
import { Hearth } from './Hearth.ts';
import {
  docPrefix,
  firstScreenKey,
  GROUPS_PREFIX,
  IDENTITY_KEY,
  LOCK_KEY,
  notePrefix,
  startupDocReads,
  startupReads,
  VERIFIED_KEY,
} from './storageLayout.ts';

describe('storageLayout', () => {
  it('names the keys Hearth, its document stores and its check cache really write', async () => {
    const storage = new MemoryStorage();
    const h = await Hearth.load({
      storage,
      origin: 'https://hearth.test',
      defaultRelay: 'ws://127.0.0.1:9/signal',
      mailboxFor: () => new MemoryMailbox(),
    });
    await h.setUp('Alice');
    const rt = await h.createGroup('Choir');
    rt.features.discussion.startThread(h.me, { title: 'Songs', body: 'Which ones?' });
    const noteId = rt.features.notes.createNote(h.me, 'Set list');
    (await rt.notes.open(noteId)).text.insert(0, 'Opening song');
    await rt.group.verify([...rt.features.discussion.threads().map((t) => t.id)]);
    await h.flushAll();
    await h.close();

    const keys = (await storage.loadRange([])).map((c) => c.key);
    const gid = rt.entry.groupId;
    expect(keys).toContainEqual([...IDENTITY_KEY]);
    expect(keys).toContainEqual([...GROUPS_PREFIX, gid]);
    expect(keys).toContainEqual([...VERIFIED_KEY]);
    expect(keys.some((k) => hasPrefix(k, docPrefix(gid)) && k.length > 2)).toBe(true);
    expect(keys.some((k) => hasPrefix(k, notePrefix(gid, noteId)) && k.length > 3)).toBe(true);
    expect(keys).toContainEqual(firstScreenKey(gid));
    expect(startupReads()).toEqual([LOCK_KEY, IDENTITY_KEY, GROUPS_PREFIX]);
    expect(startupReads(gid)).toEqual([
      LOCK_KEY,
      IDENTITY_KEY,
      GROUPS_PREFIX,
      VERIFIED_KEY,
      firstScreenKey(gid),
    ]);
    expect(startupReads(gid, noteId)).toEqual([
      LOCK_KEY,
      IDENTITY_KEY,
      GROUPS_PREFIX,
      VERIFIED_KEY,
      firstScreenKey(gid),
      notePrefix(gid, noteId),
    ]);
    expect(startupDocReads(gid)).toEqual({ unless: firstScreenKey(gid), ranges: [docPrefix(gid)] });
  });
});
