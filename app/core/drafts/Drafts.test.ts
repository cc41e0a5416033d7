import { describe, expect, it } from 'vitest';
import { deriveEpochKeys, generateGroupKey } from '../crypto/keys.ts';
import { MemoryStorage } from '../storage/MemoryStorage.ts';
import { DraftError, Drafts, draftKey } from './Drafts.ts';

const storeKey = () => deriveEpochKeys(generateGroupKey()).storeKey;

describe('Drafts', () => {
  it('round-trips a draft sealed under the store key, with no plaintext at rest', async () => {
    const storage = new MemoryStorage();
    const drafts = new Drafts(storage, 'G1', storeKey());
    const draft = { title: 'Garden plan', body: '# Beds\n\n- tomatoes', savedAt: 5 };
    await drafts.save({ kind: 'post' }, draft);
    expect(await drafts.load({ kind: 'post' })).toEqual(draft);
    const raw = await storage.load(['drafts', 'G1', 'post']);
    expect(raw).toBeDefined();
    const text = new TextDecoder('latin1').decode(raw);
    expect(text).not.toContain('Garden plan');
    expect(text).not.toContain('tomatoes');
  });

  it('keeps new-post and edit drafts apart, per group', async () => {
    const storage = new MemoryStorage();
    const key = storeKey();
    const g1 = new Drafts(storage, 'G1', key);
    const g2 = new Drafts(storage, 'G2', key);
    await g1.save({ kind: 'post' }, { title: 'a', body: '', savedAt: 1 });
    await g1.save({ kind: 'edit', id: 'P1' }, { title: 'b', body: '', savedAt: 2 });
    expect((await g1.load({ kind: 'post' }))?.title).toBe('a');
    expect((await g1.load({ kind: 'edit', id: 'P1' }))?.title).toBe('b');
    expect(await g2.load({ kind: 'post' })).toBeNull();
    expect(draftKey('G1', { kind: 'edit', id: 'P1' })).toEqual(['drafts', 'G1', 'edit', 'P1']);
  });

  it('clears, and saving an empty draft removes it', async () => {
    const storage = new MemoryStorage();
    const drafts = new Drafts(storage, 'G1', storeKey());
    await drafts.save({ kind: 'post' }, { title: 'x', body: 'y', savedAt: 1 });
    await drafts.save({ kind: 'post' }, { title: '  ', body: '\n', savedAt: 2 });
    expect(await storage.load(['drafts', 'G1', 'post'])).toBeUndefined();
    await drafts.save({ kind: 'post' }, { title: 'x', body: 'y', savedAt: 3 });
    await drafts.clear({ kind: 'post' });
    expect(await drafts.load({ kind: 'post' })).toBeNull();
  });

  it('reports a draft sealed under another key as unreadable and leaves it in place', async () => {
    const storage = new MemoryStorage();
    await new Drafts(storage, 'G1', storeKey()).save(
      { kind: 'post' },
      { title: 't', body: 'b', savedAt: 1 },
    );
    const other = new Drafts(storage, 'G1', storeKey());
    await expect(other.load({ kind: 'post' })).rejects.toBeInstanceOf(DraftError);
    expect(await storage.load(['drafts', 'G1', 'post'])).toBeDefined();
  });

  it('reports damaged bytes as unreadable', async () => {
    const storage = new MemoryStorage();
    await storage.save(['drafts', 'G1', 'post'], new Uint8Array([1, 2, 3]));
    const err = await new Drafts(storage, 'G1', storeKey())
      .load({ kind: 'post' })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DraftError);
    expect((err as DraftError).message).toMatch(/could not be opened/);
  });
});
