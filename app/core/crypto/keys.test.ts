import { describe, expect, it } from 'vitest';
import { toBase64Url } from './bytes.ts';
import {
  deriveEpochKeys,
  type GroupKey,
  generateGroupKey,
  groupKeyFromText,
  groupKeyToText,
  KeyFormatError,
} from './keys.ts';

// Vectors computed independently with Node's Buffer and tweetnacl for K = 00 01 02 .. 1f.
const K = new Uint8Array(32).map((_, i) => i) as GroupKey;

describe('key derivations (fixed vectors)', () => {
  const keys = deriveEpochKeys(K);
  it('room id', () => expect(keys.roomId).toBe('RMx8b0bTmUaUDBH-aV9XyA'));
  it('signaling secret', () =>
    expect(keys.signalingSecret).toBe('Rm_LhVyFJp72GSH_La317W8hYuapM37CJI4KfLctblk'));
  it('store key', () =>
    expect(toBase64Url(keys.storeKey)).toBe('mQwZo_HUyBy9B0LEgNsveSiVIK1nkeNuwdRT6as389A'));
  it('mailbox public key', () =>
    expect(toBase64Url(keys.mailbox.publicKey)).toBe(
      'l0cbG51BqPX_q8PkPH8pOTizulHTWcT6agI1sHHn2zw',
    ));
  it('mailbox key pair: worked out on first use, then kept', () =>
    expect(keys.mailbox).toBe(keys.mailbox));
  it('derivations are domain-separated', () => {
    const all = [keys.roomId, keys.signalingSecret, toBase64Url(keys.storeKey)];
    expect(new Set(all.map((s) => s.slice(0, 16))).size).toBe(3);
  });
});

describe('group key text form', () => {
  it('round-trips', () => {
    const k = generateGroupKey();
    expect(groupKeyFromText(groupKeyToText(k))).toEqual(k);
  });
  it('rejects wrong length and bad characters', () => {
    expect(() => groupKeyFromText('AAAA')).toThrow(KeyFormatError);
    expect(() => groupKeyFromText('!'.repeat(43))).toThrow(
      expect.objectContaining({
        code: 'bad-group-key',
        detail: expect.stringMatching(/base64url/),
      }),
    );
  });
});
