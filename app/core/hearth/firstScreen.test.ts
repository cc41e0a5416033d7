import { describe, expect, it } from 'vitest';
import { deriveEpochKeys, type GroupId } from '../crypto/keys.ts';
import { localSealer } from '../crypto/localSealed.ts';
import { MemoryStorage } from '../storage/MemoryStorage.ts';
import { MemoryMailbox } from '../sync/MemoryMailbox.ts';
import { FIRST_SCREEN_REPLIES, openFirstScreen, sealFirstScreen } from './firstScreen.ts';
import { Hearth } from './Hearth.ts';
import { docPrefix, firstScreenKey } from './storageLayout.ts';

const envOf = (storage: MemoryStorage) => ({
  storage,
  origin: 'https://hearth.test',
  defaultRelay: 'ws://127.0.0.1:9/signal',
  mailboxFor: () => new MemoryMailbox(),
});

/** A device with one group of two threads, one with 25 replies, closed (which keeps its first screen). */
async function device() {
  const storage = new MemoryStorage();
  const h = await Hearth.load(envOf(storage));
  const me = await h.setUp('Alice');
  const rt = await h.createGroup('Choir');
  const d = rt.features.discussion;
  const quiet = d.startThread(me, { title: 'Old news', body: 'Nothing new.' });
  const busy = d.startThread(me, { title: 'Songs', body: 'Which ones?' });
  for (let i = 0; i < 25; i++) d.reply(me, busy, `Reply **${i}**`);
  const groupId = rt.entry.groupId;
  const storeKey = deriveEpochKeys(rt.entry.groupKey).storeKey;
  await h.close();
  return { storage, groupId, busy, quiet, storeKey };
}

describe('first screen', () => {
  it('is kept on close and painted from before the group opens, with the checks this device made', async () => {
    const { storage, groupId, busy, quiet } = await device();
    expect(await storage.load(firstScreenKey(groupId))).toBeDefined();

    const h = await Hearth.load(envOf(storage));
    const screen = await h.firstScreen(groupId);
    expect(screen?.name).toBe('Choir');
    expect(screen?.threadCount).toBe(2);
    expect(screen?.threads.map((t) => t.id)).toEqual([busy, quiet]);
    expect(screen?.threads.every((t) => t.status === 'valid')).toBe(true);
    const open = screen?.open[busy];
    expect(open?.thread.title).toBe('Songs');
    expect(open?.replies).toHaveLength(FIRST_SCREEN_REPLIES);
    expect(open?.replies[0]?.body).toBe('Reply **0**');
    expect(open?.replies.every((r) => r.status === 'valid')).toBe(true);

    // The group still opens from its document (the read is shared), and then hands out none.
    const rt = await h.open(groupId);
    expect(rt.features.discussion.replies(busy)).toHaveLength(25);
    expect(await h.firstScreen(groupId)).toBeUndefined();
    await h.close();
  });

  it('names the stored rows by their keys alone where the store can list them, reading the document after', async () => {
    const { storage, groupId } = await device();
    const ranges: string[] = [];
    const listing = Object.assign(Object.create(storage) as MemoryStorage, {
      loadRange: (prefix: string[]) => {
        ranges.push(prefix.join('/'));
        return storage.loadRange(prefix);
      },
      loadKeys: async (prefix: string[]) => (await storage.loadRange(prefix)).map((c) => c.key),
    });
    const h = await Hearth.load(envOf(listing));
    const screen = h.firstScreen(groupId);
    const rt = h.open(groupId);
    expect((await screen)?.threadCount).toBe(2);
    expect(ranges).not.toContain(`doc/${groupId}`);
    expect((await rt).features.discussion.threads()).toHaveLength(2);
    expect(ranges.filter((r) => r === `doc/${groupId}`)).toHaveLength(1);
    await h.close();
  });

  it('is thrown away when the stored document is no longer the one it was built from', async () => {
    const { storage, groupId } = await device();
    // Another tab stored a row after the screen was kept (a copy of a stored row will do).
    const [row] = (await storage.loadRange(docPrefix(groupId))).filter((c) => c.key.length === 4);
    expect(row).toBeDefined();
    await storage.save([...docPrefix(groupId), 'u', 'zz-later'], row!.data);
    const h = await Hearth.load(envOf(storage));
    expect(await h.firstScreen(groupId)).toBeUndefined();
    // Opening the group keeps a new one that matches.
    const rt = await h.open(groupId);
    await rt.rememberFirstScreen();
    await h.close();
    const again = await Hearth.load(envOf(storage));
    expect((await again.firstScreen(groupId))?.threadCount).toBe(2);
    await again.close();
  });

  it('is thrown away when tampered with, sealed under another key, or naming another group', async () => {
    const { storage, groupId, storeKey } = await device();
    const sealed = (await storage.load(firstScreenKey(groupId)))!;
    const rows = await storage.loadRange(docPrefix(groupId));
    const { storedBasis } = await import('../storage/EncryptedDocStore.ts');
    const basis = storedBasis(
      docPrefix(groupId),
      rows.map((r) => r.key),
    );
    const sealer = localSealer(storeKey);
    const screen = await openFirstScreen(sealer, groupId, basis, sealed);
    expect(screen?.threadCount).toBe(2);

    const flipped = sealed.slice();
    flipped[flipped.length - 1]! ^= 1;
    expect(await openFirstScreen(sealer, groupId, basis, flipped)).toBeUndefined();
    const otherKey = deriveEpochKeys(new Uint8Array(32).fill(7) as never).storeKey;
    expect(await openFirstScreen(localSealer(otherKey), groupId, basis, sealed)).toBeUndefined();
    const other = 'AAAAAAAAAAAAAAAAAAAAAA' as GroupId;
    expect(await openFirstScreen(sealer, other, basis, sealed)).toBeUndefined();
    expect(await openFirstScreen(sealer, groupId, `${basis}x`, sealed)).toBeUndefined();
    // Sealed right but not shaped like a first screen.
    const odd = await sealFirstScreen(sealer, groupId, basis, { threads: 'no' } as never);
    expect(await openFirstScreen(sealer, groupId, basis, odd)).toBeUndefined();

    // A tampered row is never shown.
    await storage.save(firstScreenKey(groupId), flipped);
    const h = await Hearth.load(envOf(storage));
    expect(await h.firstScreen(groupId)).toBeUndefined();
    await h.close();
  });

  it('keeps no text of an item an admin hid', async () => {
    const storage = new MemoryStorage();
    const h = await Hearth.load(envOf(storage));
    const me = await h.setUp('Alice');
    const rt = await h.createGroup('Choir');
    const t = rt.features.discussion.startThread(me, { title: 'Songs', body: 'Which ones?' });
    const r = rt.features.discussion.reply(me, t, 'Something rude');
    rt.features.membership.hide(me, r, true);
    const groupId = rt.entry.groupId;
    await h.close();
    const again = await Hearth.load(envOf(storage));
    const screen = await again.firstScreen(groupId);
    expect(screen?.hidden[r]).toBe('Alice');
    expect(screen?.open[t]?.replies[0]?.body).toBe('');
    expect(JSON.stringify(screen)).not.toContain('rude');
    await again.close();
  });
});
