// The behaviour every MailboxStore must show, as a vitest suite a backend's test file runs
// with its own factory (SQLite today; PostgreSQL could be added and checked the same way).
import { describe, expect, it } from 'vitest';
import { KIND_SNAPSHOT, KIND_UPDATE } from './envelope.ts';
import type { AppendInput, MailboxStore, QuotaLimits } from './mailboxStore.ts';

const KEY_A = new Uint8Array(32).fill(1);
const KEY_B = new Uint8Array(32).fill(2);
const ROOMY: QuotaLimits = { roomMaxBytes: 1 << 30, roomMaxEntries: 1 << 30 };

let ids = 0;
function input(room: string, extra: Partial<AppendInput> = {}): AppendInput {
  const writeId = new Uint8Array(16);
  new DataView(writeId.buffer).setUint32(0, ++ids);
  return {
    room,
    publicKey: KEY_A,
    writeId,
    timestamp: 1000,
    kind: KIND_UPDATE,
    supersedes: 0,
    blob: new Uint8Array(10).fill(ids & 0xff),
    now: 1000,
    ...extra,
  };
}

export function mailboxStoreContract(name: string, open: () => Promise<MailboxStore>): void {
  describe(`MailboxStore contract: ${name}`, () => {
    it('assigns increasing sequence numbers per room and reads them back', async () => {
      const s = await open();
      expect(await s.append(input('r1'), ROOMY)).toEqual({
        ok: true,
        seq: 1,
        superseded: 0,
        created: true,
      });
      expect(await s.append(input('r2'), ROOMY)).toMatchObject({ ok: true, seq: 1 });
      const second = input('r1', { kind: KIND_SNAPSHOT, blob: new Uint8Array([9, 9]) });
      expect(await s.append(second, ROOMY)).toMatchObject({ ok: true, seq: 2, created: false });
      const page = await s.read('r1', 0, 10, 1 << 20);
      expect(page.entries.map((e) => [e.seq, e.kind, [...e.blob].length])).toEqual([
        [1, KIND_UPDATE, 10],
        [2, KIND_SNAPSHOT, 2],
      ]);
      expect(page.entries[1]!.blob).toEqual(new Uint8Array([9, 9]));
      expect(page).toMatchObject({ next: 2, more: false });
      expect(await s.read('unknown', 5, 10, 1 << 20)).toEqual({
        entries: [],
        next: 5,
        more: false,
      });
      await s.close();
    });

    it('binds a room to its first key and refuses seen write ids', async () => {
      const s = await open();
      const first = input('r');
      await s.append(first, ROOMY);
      expect(await s.append(input('r', { publicKey: KEY_B }), ROOMY)).toEqual({
        ok: false,
        code: 'wrong-key',
      });
      expect(await s.append({ ...first }, ROOMY)).toEqual({ ok: false, code: 'replay' });
      expect(await s.append({ ...first, room: 'other' }, ROOMY)).toMatchObject({ ok: true });
      await s.close();
    });

    it('applies quotas, counting what a snapshot supersedes as freed', async () => {
      const s = await open();
      const limits = { roomMaxBytes: 25, roomMaxEntries: 3 };
      await s.append(input('r'), limits);
      await s.append(input('r'), limits);
      expect(await s.append(input('r'), limits)).toEqual({ ok: false, code: 'quota-bytes' });
      const snap = input('r', { kind: KIND_SNAPSHOT, supersedes: 2, blob: new Uint8Array(20) });
      expect(await s.append(snap, limits)).toEqual({
        ok: true,
        seq: 3,
        superseded: 2,
        created: false,
      });
      expect(await s.stats()).toEqual({ rooms: 1, bytes: 20 });
      const tight = { roomMaxBytes: 1000, roomMaxEntries: 2 };
      await s.append(input('r', { blob: new Uint8Array(1) }), tight);
      expect(await s.append(input('r'), tight)).toEqual({ ok: false, code: 'quota-entries' });
      await s.close();
    });

    it('keeps the total under its budget without touching what is stored', async () => {
      const s = await open();
      const budget = { ...ROOMY, totalMaxBytes: 30 };
      await s.append(input('a'), budget);
      await s.append(input('b'), budget);
      await s.append(input('a'), budget);
      const before = await s.read('a', 0, 10, 1 << 20);
      expect(await s.append(input('c'), budget)).toEqual({ ok: false, code: 'relay-full' });
      expect(await s.append(input('a'), budget)).toEqual({ ok: false, code: 'relay-full' });
      expect(await s.stats()).toEqual({ rooms: 2, bytes: 30 });
      expect(await s.read('a', 0, 10, 1 << 20)).toEqual(before);
      expect(await s.read('c', 0, 10, 1 << 20)).toMatchObject({ entries: [] });
      // A snapshot that frees as much as it adds still goes in, so groups can compact.
      const snap = input('a', { kind: KIND_SNAPSHOT, supersedes: 2, blob: new Uint8Array(15) });
      expect(await s.append(snap, budget)).toMatchObject({ ok: true, seq: 3, superseded: 2 });
      expect(await s.stats()).toEqual({ rooms: 2, bytes: 25 });
      expect(await s.append(input('c', { blob: new Uint8Array(5) }), budget)).toMatchObject({
        ok: true,
      });
      expect(await s.stats()).toEqual({ rooms: 3, bytes: 30 });
      await s.close();
    });

    it('refuses to create a room when told so, and still writes to known rooms', async () => {
      const s = await open();
      await s.append(input('known'), ROOMY);
      expect(await s.append(input('new', { mayCreateRoom: false }), ROOMY)).toEqual({
        ok: false,
        code: 'no-new-room',
      });
      expect(await s.append(input('known', { mayCreateRoom: false }), ROOMY)).toMatchObject({
        ok: true,
        created: false,
      });
      expect(await s.stats()).toEqual({ rooms: 1, bytes: 20 });
      await s.close();
    });

    it('pages by entries and by bytes, always making progress', async () => {
      const s = await open();
      for (let i = 0; i < 4; i++) await s.append(input('r', { blob: new Uint8Array(100) }), ROOMY);
      expect(await s.read('r', 0, 3, 1 << 20)).toMatchObject({ next: 3, more: true });
      const byBytes = await s.read('r', 0, 10, 150);
      expect(byBytes.entries.map((e) => e.seq)).toEqual([1]);
      expect(byBytes.more).toBe(true);
      const tiny = await s.read('r', 1, 10, 10);
      expect(tiny.entries.map((e) => e.seq)).toEqual([2]);
      await s.close();
    });

    it('prunes expired entries and old write ids, never reusing a seq', async () => {
      const s = await open();
      const old = input('r', { now: 100, timestamp: 100 });
      await s.append(old, ROOMY);
      await s.append(input('r', { now: 5000 }), ROOMY);
      expect(await s.prune(1000, 1000)).toEqual({ expiredEntries: 1, forgottenWriteIds: 1 });
      expect((await s.read('r', 0, 10, 1 << 20)).entries.map((e) => e.seq)).toEqual([2]);
      expect(await s.stats()).toEqual({ rooms: 1, bytes: 10 });
      await s.prune(10_000, 0);
      expect(await s.stats()).toEqual({ rooms: 0, bytes: 0 });
      expect(await s.append(input('r'), ROOMY)).toMatchObject({ ok: true, seq: 3 });
      expect(await s.append(input('r', { publicKey: KEY_B }), ROOMY)).toMatchObject({
        code: 'wrong-key',
      });
      await s.close();
    });
  });
}
