import { describe, expect, it } from 'vitest';
import { concatBytes } from '../crypto/bytes.ts';
import { deriveEpochKeys, type GroupKey, generateGroupKey } from '../crypto/keys.ts';
import { MailboxError } from './Mailbox.ts';
import {
  decodeMailboxRead,
  decodeMailboxWrite,
  encodeMailboxRead,
  encodeMailboxWrite,
} from './mailboxEnvelope.ts';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const fromHex = (h: string) => new Uint8Array(h.match(/../g)!.map((x) => Number.parseInt(x, 16)));

function code(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof MailboxError) return e.code;
    throw e;
  }
  return 'no-error';
}

// Computed independently with node:crypto (ed25519 from the derived seed) for K = 00 .. 1f.
const K = new Uint8Array(32).map((_, i) => i) as GroupKey;
const keys = deriveEpochKeys(K);
const VECTOR = {
  header:
    '010200000000000001020000018bcfe56800a0a1a2a3a4a5a6a7a8a9aaabacadaeaf' +
    '97471b1b9d41a8f5ffabc3e43c7f293938b3ba51d359c4fa6a0235b071e7db3c',
  payload: '0102030405',
  signature:
    '723a57fce721422d20a42a55081953ef7129329d6c9dbc1ede530965e3a24ed1' +
    '5c80215d7488bf4c143dfeb27df1f4fd2765b3a3e56c685dacc300b1a721c30b',
};
const writeId = new Uint8Array(16).map((_, i) => 0xa0 + i);
const vectorWrite = {
  kind: 'snapshot' as const,
  supersedes: 258,
  timestamp: 1_700_000_000_000,
  writeId,
  payload: fromHex(VECTOR.payload),
};

describe('mailbox write envelope', () => {
  it('matches the fixed vector byte for byte', () => {
    expect(keys.roomId).toBe('RMx8b0bTmUaUDBH-aV9XyA');
    const body = encodeMailboxWrite(keys.roomId, keys.mailbox, vectorWrite);
    expect(hex(body)).toBe(VECTOR.header + VECTOR.payload + VECTOR.signature);
  });

  it('decodes and verifies what it encodes', () => {
    const body = encodeMailboxWrite(keys.roomId, keys.mailbox, vectorWrite);
    const w = decodeMailboxWrite(keys.roomId, body);
    expect(w).toEqual({ ...vectorWrite, publicKey: keys.mailbox.publicKey });
  });

  it('signs the room: the same body for another room fails', () => {
    const other = deriveEpochKeys(generateGroupKey());
    const body = encodeMailboxWrite(keys.roomId, keys.mailbox, vectorWrite);
    expect(code(() => decodeMailboxWrite(other.roomId, body))).toBe('bad-signature');
  });

  it('rejects any flipped bit as bad-signature or bad-request', () => {
    const body = encodeMailboxWrite(keys.roomId, keys.mailbox, {
      ...vectorWrite,
      kind: 'update',
      supersedes: 0,
    });
    for (let i = 0; i < body.length; i++) {
      const t = body.slice();
      t[i]! ^= 1 << (i % 8);
      expect(['bad-signature', 'bad-request']).toContain(
        code(() => decodeMailboxWrite(keys.roomId, t)),
      );
    }
  });

  it('rejects malformed envelopes', () => {
    const body = encodeMailboxWrite(keys.roomId, keys.mailbox, vectorWrite);
    expect(code(() => decodeMailboxWrite(keys.roomId, body.subarray(0, 100)))).toBe('bad-request');
    expect(code(() => decodeMailboxWrite('short', body))).toBe('bad-request');
    const v2 = body.slice();
    v2[0] = 2;
    expect(code(() => decodeMailboxWrite(keys.roomId, v2))).toBe('bad-request');
    const kind3 = body.slice();
    kind3[1] = 3;
    expect(code(() => decodeMailboxWrite(keys.roomId, kind3))).toBe('bad-request');
    expect(
      code(() =>
        encodeMailboxWrite(keys.roomId, keys.mailbox, {
          ...vectorWrite,
          writeId: new Uint8Array(3),
        }),
      ),
    ).toBe('bad-request');
    expect(
      code(() => encodeMailboxWrite(keys.roomId, keys.mailbox, { ...vectorWrite, supersedes: -1 })),
    ).toBe('bad-request');
  });

  it('writes supersedes = 0 for updates', () => {
    const body = encodeMailboxWrite(keys.roomId, keys.mailbox, { ...vectorWrite, kind: 'update' });
    expect(decodeMailboxWrite(keys.roomId, body).supersedes).toBe(0);
  });
});

describe('mailbox read answer', () => {
  const entries = [
    { seq: 1, kind: 'update' as const, blob: new Uint8Array([1, 2]) },
    { seq: 7, kind: 'snapshot' as const, blob: new Uint8Array([]) },
    { seq: 2 ** 40, kind: 'update' as const, blob: new Uint8Array(300).fill(9) },
  ];

  it('has the documented layout', () => {
    const body = encodeMailboxRead(entries.slice(0, 1));
    expect(hex(body)).toBe('01' + '0000000000000001' + '01' + '00000002' + '0102');
    expect(hex(encodeMailboxRead([]))).toBe('01');
  });

  it('round-trips', () => {
    expect(decodeMailboxRead(encodeMailboxRead(entries))).toEqual(entries);
    expect(decodeMailboxRead(new Uint8Array([1]))).toEqual([]);
  });

  it('rejects malformed answers as bad-response', () => {
    const body = encodeMailboxRead(entries);
    expect(code(() => decodeMailboxRead(new Uint8Array([])))).toBe('bad-response');
    expect(code(() => decodeMailboxRead(body.subarray(0, body.length - 1)))).toBe('bad-response');
    expect(code(() => decodeMailboxRead(body.subarray(0, 10)))).toBe('bad-response');
    const unordered = encodeMailboxRead([entries[1]!, entries[0]!]);
    expect(code(() => decodeMailboxRead(unordered))).toBe('bad-response');
    const badKind = encodeMailboxRead(entries.slice(0, 1));
    badKind[9] = 5;
    expect(code(() => decodeMailboxRead(badKind))).toBe('bad-response');
    const huge = concatBytes(
      new Uint8Array([1]),
      fromHex('ffffffffffffffff'),
      new Uint8Array([1, 0, 0, 0, 0]),
    );
    expect(code(() => decodeMailboxRead(huge))).toBe('bad-response');
  });
});
