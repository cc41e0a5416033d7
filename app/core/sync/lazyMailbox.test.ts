import { describe, expect, it } from 'vitest';
import { deriveEpochKeys, generateGroupKey } from '../crypto/keys.ts';
import { loadSync } from './lazy.ts';
import { lazyMailbox, MailboxError } from './Mailbox.ts';
import { MemoryMailbox } from './MemoryMailbox.ts';

describe('lazyMailbox', () => {
  it('loads the client once, on first use, and passes every call through', async () => {
    const inner = new MemoryMailbox();
    let loads = 0;
    const box = lazyMailbox(async () => {
      loads++;
      return inner;
    });
    expect(loads).toBe(0);
    const keys = deriveEpochKeys(generateGroupKey());
    const { seq } = await box.push(keys.roomId, keys.mailbox, new Uint8Array([1, 2, 3]), {
      kind: 'update',
    });
    const page = await box.pull(keys.roomId, 0);
    expect(page.entries.map((e) => [e.seq, [...e.blob]])).toEqual([[seq, [1, 2, 3]]]);
    expect(loads).toBe(1);
  });

  it('fails as the network would when its code cannot load, and tries again next time', async () => {
    let fail = true;
    const box = lazyMailbox(async () => {
      if (fail) throw new TypeError('Failed to fetch dynamically imported module');
      return new MemoryMailbox();
    });
    const keys = deriveEpochKeys(generateGroupKey());
    const err = await box.pull(keys.roomId, 0).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MailboxError);
    expect((err as MailboxError).code).toBe('network');
    fail = false;
    await expect(box.pull(keys.roomId, 0)).resolves.toMatchObject({ entries: [] });
  });
});

describe('loadSync', () => {
  it('hands out one module, with the classes that sync a document', async () => {
    const a = await loadSync();
    expect(await loadSync()).toBe(a);
    expect(typeof a.MailboxSync).toBe('function');
    expect(typeof a.SyncSession).toBe('function');
  });
});
