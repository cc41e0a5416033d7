// The backup file through the whole service: made on one device, brought back on a fresh one
// with the relay unreachable; and what a bad file or passphrase does (nothing).
import { describe, expect, it } from 'vitest';
import { fromUtf8 } from '../crypto/bytes.ts';
import { MemoryStorage } from '../storage/MemoryStorage.ts';
import { MemoryMailbox } from '../sync/MemoryMailbox.ts';
import {
  BACKUP_ITERATIONS,
  BackupError,
  exportBackup,
  importBackup,
  lastBackupAt,
  needsBackupReminder,
} from './backup.ts';
import { Hearth, type HearthEnv } from './Hearth.ts';

const env = (storage: MemoryStorage, mailbox: MemoryMailbox): HearthEnv => ({
  storage,
  origin: 'https://hearth.test',
  defaultRelay: 'ws://127.0.0.1:9/signal',
  mailboxFor: () => mailbox,
});

const PASS = 'correct horse battery';

describe('backup', () => {
  it('brings back identity, groups, history and read markers with no relay reachable', async () => {
    const mailbox = new MemoryMailbox();
    const storage = new MemoryStorage();
    const a = await Hearth.load(env(storage, mailbox));
    await a.setUp('Alice');
    const rt = await a.createGroup('Allotment');
    await rt.ready;
    const thread = rt.features.discussion.startThread(a.me, { title: 'Seed swap', body: 'jars' });
    await a.markRead(rt.entry.groupId, thread, 1234);
    await rt.flush();
    const file = await exportBackup(storage, PASS, 5000);
    expect(await lastBackupAt(storage)).toBe(5000);
    // The file says how it is sealed and nothing else in clear.
    const text = fromUtf8(file);
    expect(JSON.parse(text)).toMatchObject({ kdf: 'PBKDF2-SHA256', iterations: BACKUP_ITERATIONS });
    for (const secret of ['Alice', 'Allotment', 'Seed swap', a.me.id]) {
      expect(text).not.toContain(secret);
    }

    const offline = new MemoryMailbox();
    offline.offline = true;
    const fresh = new MemoryStorage();
    await expect(importBackup(fresh, file, 'wrong passphrase!')).rejects.toMatchObject({
      code: 'wrong-passphrase',
    });
    expect(await fresh.loadRange([])).toHaveLength(0);
    await importBackup(fresh, file, PASS);
    const b = await Hearth.load(env(fresh, offline));
    expect(b.me.id).toBe(a.me.id);
    expect(b.me.name).toBe('Alice');
    expect(b.groups().map((g) => g.name)).toEqual(['Allotment']);
    const brt = await b.open(rt.entry.groupId);
    expect(brt.features.discussion.threads().map((t) => t.title)).toEqual(['Seed swap']);
    expect(b.personal?.get(rt.entry.groupId, thread)?.at).toBe(1234);
    // Writing works there too, as the same member.
    brt.features.discussion.reply(b.me, thread, 'restored');
    await brt.store.flush();
    expect(brt.features.discussion.replies(thread)).toHaveLength(1);
    await b.close();
    await a.close();
  });

  it('refuses a short passphrase, a file that is not a backup, and a device that has a member', async () => {
    const storage = new MemoryStorage();
    const a = await Hearth.load(env(storage, new MemoryMailbox()));
    await a.setUp('Alice');
    await expect(exportBackup(storage, 'short')).rejects.toMatchObject({
      code: 'short-passphrase',
    });
    await expect(
      importBackup(new MemoryStorage(), new TextEncoder().encode('{"format":"x"}'), PASS),
    ).rejects.toBeInstanceOf(BackupError);
    const file = await exportBackup(storage, PASS);
    // Fewer iterations than the floor are refused before any work.
    const weak = JSON.parse(fromUtf8(file)) as { iterations: number };
    weak.iterations = 1000;
    await expect(
      importBackup(new MemoryStorage(), new TextEncoder().encode(JSON.stringify(weak)), PASS),
    ).rejects.toMatchObject({ code: 'not-a-backup' });
    await expect(importBackup(storage, file, PASS)).rejects.toMatchObject({
      code: 'has-identity',
    });
  });

  it('reminds only a device with groups, no other linked device and no recent backup', () => {
    const day = 86_400_000;
    const now = 100 * day;
    expect(needsBackupReminder({ groups: 0, linkedDevices: 0, lastBackupAt: undefined, now })).toBe(
      false,
    );
    expect(needsBackupReminder({ groups: 1, linkedDevices: 0, lastBackupAt: undefined, now })).toBe(
      true,
    );
    expect(needsBackupReminder({ groups: 1, linkedDevices: 1, lastBackupAt: undefined, now })).toBe(
      false,
    );
    expect(needsBackupReminder({ groups: 2, linkedDevices: 0, lastBackupAt: now - day, now })).toBe(
      false,
    );
    expect(
      needsBackupReminder({ groups: 2, linkedDevices: 0, lastBackupAt: now - 30 * day, now }),
    ).toBe(true);
  });
});
