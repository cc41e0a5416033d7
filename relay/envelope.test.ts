import { describe, expect, it } from 'vitest';
import { deriveEpochKeys, type GroupKey } from '../app/core/crypto/index.ts';
import {
  EnvelopeError,
  isRoomId,
  KIND_SNAPSHOT,
  parseWriteEnvelope,
  verifyEnvelope,
} from './envelope.ts';
import { buildWriteEnvelope } from './testing.ts';

const fromHex = (h: string) => new Uint8Array(h.match(/../g)!.map((x) => Number.parseInt(x, 16)));

// The app's fixed vector (computed independently with node:crypto) for K = 00 .. 1f: the relay
// must accept exactly what the app sends.
const K = new Uint8Array(32).map((_, i) => i) as GroupKey;
const keys = deriveEpochKeys(K);
const VECTOR = fromHex(
  '010200000000000001020000018bcfe56800a0a1a2a3a4a5a6a7a8a9aaabacadaeaf' +
    '97471b1b9d41a8f5ffabc3e43c7f293938b3ba51d359c4fa6a0235b071e7db3c' +
    '0102030405' +
    '723a57fce721422d20a42a55081953ef7129329d6c9dbc1ede530965e3a24ed1' +
    '5c80215d7488bf4c143dfeb27df1f4fd2765b3a3e56c685dacc300b1a721c30b',
);

describe('mailbox write envelope', () => {
  it('parses and verifies the fixed vector', () => {
    const e = parseWriteEnvelope(VECTOR);
    expect(e.kind).toBe(KIND_SNAPSHOT);
    expect(e.supersedes).toBe(258);
    expect(e.timestamp).toBe(1_700_000_000_000);
    expect([...e.writeId]).toEqual(Array.from({ length: 16 }, (_, i) => 0xa0 + i));
    expect(e.publicKey).toEqual(keys.mailbox.publicKey);
    expect([...e.payload]).toEqual([1, 2, 3, 4, 5]);
    expect(verifyEnvelope(keys.roomId, e)).toBe(true);
    expect(verifyEnvelope('AAAAAAAAAAAAAAAAAAAAAA', e)).toBe(false);
  });

  it('is what the test helper builds', () => {
    const built = buildWriteEnvelope({
      room: keys.roomId,
      secretKey: keys.mailbox.secretKey,
      kind: KIND_SNAPSHOT,
      supersedes: 258,
      timestamp: 1_700_000_000_000,
      writeId: new Uint8Array(16).map((_, i) => 0xa0 + i),
      payload: new Uint8Array([1, 2, 3, 4, 5]),
    });
    expect(built).toEqual(VECTOR);
  });

  it('refuses malformed envelopes with a plain reason', () => {
    const bad = (mutate: (b: Uint8Array) => Uint8Array) => () =>
      parseWriteEnvelope(mutate(VECTOR.slice()));
    expect(bad((b) => b.subarray(0, 130))).toThrow(EnvelopeError);
    expect(bad((b) => b.fill(3, 0, 1))).toThrow(/version/);
    expect(bad((b) => b.fill(0, 1, 2))).toThrow(/kind/);
    expect(bad((b) => b.fill(1, 1, 2))).toThrow(/supersedes = 0/);
    expect(bad((b) => b.fill(0xff, 2, 10))).toThrow(/larger than this relay can count/);
  });

  it('recognises canonical 16-byte room ids only', () => {
    expect(isRoomId(keys.roomId)).toBe(true);
    expect(isRoomId('RMx8b0bTmUaUDBH-aV9XyB')).toBe(false);
    expect(isRoomId('RMx8b0bTmUaUDBH-aV9Xy')).toBe(false);
    expect(isRoomId('RMx8b0bTmUaUDBH+aV9XyA')).toBe(false);
  });
});
