import { describe, expect, it } from 'vitest';
import { fromUtf8 } from '../crypto/bytes.ts';
import { groupKeyToText } from '../crypto/keys.ts';
import { PBKDF2_MIN_ITERATIONS } from '../crypto/lockKeys.ts';
import { Hearth } from '../hearth/Hearth.ts';
import { LOCK_KEY } from '../hearth/storageLayout.ts';
import { identityToJSON } from '../identity/Identity.ts';
import { MemoryStorage } from '../storage/MemoryStorage.ts';
import type { StorageAdapter } from '../storage/StorageAdapter.ts';
import { MemoryMailbox } from '../sync/MemoryMailbox.ts';
import { AppLock } from './AppLock.ts';

const PASS = 'correct horse battery';
const mailbox = new MemoryMailbox();
const load = (storage: StorageAdapter) =>
  Hearth.load({
    storage,
    origin: 'https://hearth.test',
    defaultRelay: 'ws://127.0.0.1:9/signal',
    mailboxFor: () => mailbox,
  });

/** Every byte the device holds, keys and values, as one text to search. */
async function dump(device: MemoryStorage): Promise<string> {
  const rows = await device.loadRange([]);
  return rows
    .map((r) => `${r.key.join('/')}=${Array.from(r.data, (b) => String.fromCharCode(b)).join('')}`)
    .join('\n');
}

describe('AppLock', () => {
  it('wraps everything a running app stored, and after a restart only the passphrase opens it', async () => {
    const device = new MemoryStorage();
    const lock = await AppLock.open(device);
    expect(lock.state).toBe('off');
    const h = await load(lock.storage);
    const me = await h.setUp('Alice Liddell');
    const rt = await h.createGroup('Choir of Saint Ives');
    rt.features.discussion.startThread(me, { title: 'Songbook', body: 'Which hymns?' });
    await h.markRead(rt.entry.groupId, 'x', 1);
    await h.flushAll();
    const secrets = [
      'Alice Liddell',
      'Choir of Saint Ives',
      rt.entry.groupId,
      groupKeyToText(rt.entry.groupKey),
      identityToJSON(me).signingSeed,
      'identity',
      'groups',
    ];
    expect(await dump(device)).toContain('Choir of Saint Ives');

    // On while the app runs: a write racing the switch lands too (after it, wrapped).
    const racing = rt.features.discussion.startThread(me, { title: 'Racing', body: 'late' });
    await Promise.all([lock.enable({ passphrase: PASS, idleMinutes: 2 }), rt.flush()]);
    await h.flushAll();
    expect(lock.state).toBe('unlocked');
    const locked = await dump(device);
    for (const s of secrets) expect(locked).not.toContain(s);
    expect(await device.load(LOCK_KEY)).toBeDefined();
    await h.close();

    // A restart: locked, nothing to read until the passphrase is given.
    const again = await AppLock.open(device);
    expect(again.state).toBe('locked');
    expect(again.idleMinutes).toBe(2);
    expect(() => again.storage).toThrow(/locked/i);
    await expect(again.unlockWithPassphrase('wrong passphrase')).rejects.toMatchObject({
      code: 'wrong-passphrase',
    });
    await again.unlockWithPassphrase(PASS);
    const h2 = await load(again.storage);
    expect(h2.me.name).toBe('Alice Liddell');
    expect(h2.groups().map((g) => g.name)).toEqual(['Choir of Saint Ives']);
    const rt2 = await h2.open(rt.entry.groupId);
    const titles = rt2.features.discussion.threads().map((t) => t.title);
    expect(titles).toContain('Songbook');
    expect(rt2.features.discussion.thread(racing)?.title).toBe('Racing');
    expect(h2.personal?.get(rt.entry.groupId, 'x')).toBeDefined();

    // Off again (asks the passphrase): plain as before, and the app still reads it all.
    await expect(again.disable('nope nope nope')).rejects.toMatchObject({
      code: 'wrong-passphrase',
    });
    await again.disable(PASS);
    expect(again.state).toBe('off');
    expect(await device.load(LOCK_KEY)).toBeUndefined();
    expect(await dump(device)).toContain('Choir of Saint Ives');
    await h2.close();
    const h3 = await load((await AppLock.open(device)).storage);
    expect(h3.groups().map((g) => g.name)).toEqual(['Choir of Saint Ives']);
    await h3.close();
  });

  it('uses at least 600,000 PBKDF2 rounds, refuses short passphrases, and unlocks by passkey', async () => {
    const device = new MemoryStorage();
    const lock = await AppLock.open(device);
    await expect(lock.enable({ passphrase: 'short' })).rejects.toMatchObject({
      code: 'short-passphrase',
    });
    await lock.enable({ passphrase: PASS, iterations: 1000 });
    const record = JSON.parse(fromUtf8((await device.load(LOCK_KEY)) ?? new Uint8Array()));
    expect(record.iterations).toBe(PBKDF2_MIN_ITERATIONS);
    expect(PBKDF2_MIN_ITERATIONS).toBeGreaterThanOrEqual(600_000);
    await lock.storage.save(['identity'], new Uint8Array([7]));

    const prf = new Uint8Array(32).fill(9);
    const ref = { credentialId: new Uint8Array([1, 2, 3]), prfSalt: new Uint8Array(32).fill(4) };
    await lock.addPasskey(ref, prf);
    const again = await AppLock.open(device);
    expect(again.passkey?.credentialId).toEqual(ref.credentialId);
    expect(again.passkey?.prfSalt).toEqual(ref.prfSalt);
    await expect(again.unlockWithPasskey(new Uint8Array(32))).rejects.toMatchObject({
      code: 'passkey-failed',
    });
    await again.unlockWithPasskey(prf);
    expect(await again.storage.load(['identity'])).toEqual(new Uint8Array([7]));
  });
});
