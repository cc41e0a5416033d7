// The behaviour every StorageAdapter must share, written once and run by each adapter's own
// test file, so IndexedDB and memory can never drift apart (key order above all).
import { describe, expect, it } from 'vitest';
import {
  type StorageAdapter,
  StorageError,
  type StorageKey,
  type StorageOp,
  seqSegment,
} from './StorageAdapter.ts';

const b = (...xs: number[]) => new Uint8Array(xs);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof StorageError) return e.code;
    throw e;
  }
  return 'no-error';
}

const keysOf = async (s: StorageAdapter, prefix: StorageKey) =>
  (await s.loadRange(prefix)).map((c) => c.key.join('/'));

export function runStorageContract(
  name: string,
  makeAdapter: () => StorageAdapter | Promise<StorageAdapter>,
): void {
  describe(`StorageAdapter contract: ${name}`, () => {
    it('loads undefined for a missing key and round-trips bytes, empty ones included', async () => {
      const s = await makeAdapter();
      expect(await s.load(['nothing'])).toBeUndefined();
      await s.save(['a', 'b'], b(1, 2, 3));
      await s.save(['empty'], b());
      expect(await s.load(['a', 'b'])).toEqual(b(1, 2, 3));
      const empty = await s.load(['empty']);
      expect(empty).toBeInstanceOf(Uint8Array);
      expect(empty?.length).toBe(0);
      expect(await s.load(['a'])).toBeUndefined();
    });

    it('overwrites, and stores a copy of exactly the bytes of the view it is given', async () => {
      const s = await makeAdapter();
      await s.save(['k'], b(1));
      await s.save(['k'], b(2, 2));
      expect(await s.load(['k'])).toEqual(b(2, 2));
      const buf = b(9, 8, 7, 6, 5);
      await s.save(['view'], buf.subarray(1, 3));
      buf.fill(0);
      const loaded = await s.load(['view']);
      expect(loaded).toEqual(b(8, 7));
      loaded!.fill(1);
      expect(await s.load(['view'])).toEqual(b(8, 7));
    });

    it('removes a key; removing a missing key is fine', async () => {
      const s = await makeAdapter();
      await s.save(['k'], b(1));
      await s.remove(['k']);
      await s.remove(['never']);
      expect(await s.load(['k'])).toBeUndefined();
    });

    it('orders range reads by segment, prefix first, padded numbers numerically', async () => {
      const s = await makeAdapter();
      const keys: StorageKey[] = [
        ['doc', 'g', 'u', seqSegment(10)],
        ['doc', 'g', 'u', seqSegment(2)],
        ['doc', 'g'],
        ['doc', 'g', 'u', seqSegment(1)],
        ['doc', 'g', 's'],
        ['doc', 'gg', 'u'],
        ['doc', 'f'],
        ['dob'],
      ];
      for (const [i, k] of keys.entries()) await s.save(k, b(i));
      expect(await keysOf(s, ['doc', 'g'])).toEqual([
        'doc/g',
        `doc/g/s`,
        `doc/g/u/${seqSegment(1)}`,
        `doc/g/u/${seqSegment(2)}`,
        `doc/g/u/${seqSegment(10)}`,
      ]);
      expect(await keysOf(s, [])).toEqual([
        'dob',
        'doc/f',
        'doc/g',
        `doc/g/s`,
        `doc/g/u/${seqSegment(1)}`,
        `doc/g/u/${seqSegment(2)}`,
        `doc/g/u/${seqSegment(10)}`,
        'doc/gg/u',
      ]);
      const chunks = await s.loadRange(['doc', 'g', 'u']);
      expect(chunks.map((c) => c.data[0])).toEqual([3, 1, 0]);
    });

    it('compares segments by UTF-16 code units', async () => {
      const s = await makeAdapter();
      for (const k of ['é', 'a', 'Z', '', '😀', '\uffff']) await s.save(['u', k], b(0));
      expect((await s.loadRange(['u'])).map((c) => c.key[1])).toEqual([
        '',
        'Z',
        'a',
        'é',
        '😀',
        '\uffff',
      ]);
    });

    it('removes a range and nothing outside it', async () => {
      const s = await makeAdapter();
      await s.save(['a'], b(1));
      await s.save(['a', '1'], b(1));
      await s.save(['a', '2', 'x'], b(1));
      await s.save(['ab'], b(1));
      await s.save(['b'], b(1));
      await s.removeRange(['a']);
      expect(await keysOf(s, [])).toEqual(['ab', 'b']);
    });

    it('applies a batch in order', async () => {
      const s = await makeAdapter();
      await s.save(['r', '1'], b(1));
      await s.batch([
        { op: 'save', key: ['snap'], data: b(7) },
        { op: 'removeRange', prefix: ['r'] },
        { op: 'save', key: ['r', '2'], data: b(2) },
        { op: 'save', key: ['gone'], data: b(3) },
        { op: 'remove', key: ['gone'] },
      ]);
      expect(await keysOf(s, [])).toEqual(['r/2', 'snap']);
      expect(await s.load(['snap'])).toEqual(b(7));
    });

    it('rejects a batch with a bad op and applies none of it', async () => {
      const s = await makeAdapter();
      await s.save(['keep'], b(1));
      const ops = [
        { op: 'remove', key: ['keep'] },
        { op: 'save', key: ['new'], data: b(2) },
        { op: 'save', key: [], data: b(3) },
      ] as StorageOp[];
      expect(await codeOf(s.batch(ops))).toBe('bad-key');
      expect(await keysOf(s, [])).toEqual(['keep']);
    });

    it('rejects bad keys and values with typed errors', async () => {
      const s = await makeAdapter();
      expect(await codeOf(s.save([], b(1)))).toBe('bad-key');
      expect(await codeOf(s.save([1 as unknown as string], b(1)))).toBe('bad-key');
      expect(await codeOf(s.load('k' as unknown as StorageKey))).toBe('bad-key');
      expect(await codeOf(s.save(['k'], [1, 2] as unknown as Uint8Array))).toBe('bad-value');
      expect(await s.load(['k'])).toBeUndefined();
    });
  });
}
