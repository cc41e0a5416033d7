import { describe, expect, it } from 'vitest';
import { deriveEpochKeys, generateGroupKey } from '../crypto/keys.ts';
import { MailboxError } from './Mailbox.ts';
import { MemoryMailbox } from './MemoryMailbox.ts';
import { encodeMailboxWrite } from './mailboxEnvelope.ts';

const b = (...xs: number[]) => new Uint8Array(xs);

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof MailboxError) return e.code;
    throw e;
  }
  return 'no-error';
}

describe('MemoryMailbox', () => {
  const k = deriveEpochKeys(generateGroupKey());
  const room = k.roomId;

  it('keeps an ordered log and pages through it', async () => {
    const m = new MemoryMailbox();
    for (let i = 1; i <= 5; i++) {
      expect(await m.push(room, k.mailbox, b(i), { kind: 'update' })).toEqual({ seq: i });
    }
    const p1 = await m.pull(room, 0, 2);
    expect(p1.entries.map((e) => e.blob[0])).toEqual([1, 2]);
    expect(p1).toMatchObject({ next: 2, more: true });
    const p2 = await m.pull(room, p1.next, 10);
    expect(p2.entries.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(p2).toMatchObject({ next: 5, more: false });
    expect(await m.pull(room, 5)).toEqual({ entries: [], next: 5, more: false });
    const unknown = deriveEpochKeys(generateGroupKey()).roomId;
    expect(await m.pull(unknown, 0)).toEqual({ entries: [], next: 0, more: false });
  });

  it('binds a room to its first key and refuses replays and stale clocks', async () => {
    let now = 1_000_000_000;
    const m = new MemoryMailbox({ now: () => now });
    const writeId = new Uint8Array(16).fill(7);
    await m.push(room, k.mailbox, b(1), { kind: 'update', writeId });
    expect(await code(m.push(room, k.mailbox, b(2), { kind: 'update', writeId }))).toBe('replay');
    const intruder = deriveEpochKeys(generateGroupKey()).mailbox;
    expect(await code(m.push(room, intruder, b(3), { kind: 'update' }))).toBe('wrong-key');
    const old = encodeMailboxWrite(room, k.mailbox, {
      kind: 'update',
      supersedes: 0,
      timestamp: now - 11 * 60 * 1000,
      writeId: new Uint8Array(16),
      payload: b(4),
    });
    expect(await code(m.receive(room, old))).toBe('stale');
    now += 1;
    const forged = encodeMailboxWrite(room, k.mailbox, {
      kind: 'update',
      supersedes: 0,
      timestamp: now,
      writeId: new Uint8Array(16).fill(1),
      payload: b(5),
    });
    forged[forged.length - 1]! ^= 1;
    expect(await code(m.receive(room, forged))).toBe('bad-signature');
    expect(m.stats(room).entries).toBe(1);
  });

  it('enforces quotas and lets a snapshot make room', async () => {
    const m = new MemoryMailbox({ quotaEntries: 3, quotaBytes: 100 });
    for (let i = 0; i < 3; i++) await m.push(room, k.mailbox, b(i), { kind: 'update' });
    expect(await code(m.push(room, k.mailbox, b(9), { kind: 'update' }))).toBe('quota-entries');
    expect(await m.push(room, k.mailbox, b(1, 2, 3), { kind: 'snapshot', supersedes: 3 })).toEqual({
      seq: 4,
    });
    expect(m.stats(room)).toEqual({ entries: 1, bytes: 3, lastSeq: 4 });
    expect(await code(m.push(room, k.mailbox, new Uint8Array(98), { kind: 'update' }))).toBe(
      'quota-bytes',
    );
    const all = await m.pull(room, 0);
    expect(all.entries).toEqual([{ seq: 4, kind: 'snapshot', blob: b(1, 2, 3) }]);
  });

  it('refuses payloads over the cap and fails everything while offline', async () => {
    const m = new MemoryMailbox({ maxPayloadBytes: 10 });
    expect(await code(m.push(room, k.mailbox, new Uint8Array(11), { kind: 'update' }))).toBe(
      'too-large',
    );
    m.offline = true;
    expect(await code(m.pull(room, 0))).toBe('network');
    expect(await code(m.push(room, k.mailbox, b(1), { kind: 'update' }))).toBe('network');
  });
});
