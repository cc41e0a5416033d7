import { describe, expect, it } from 'vitest';
import { fromBase64Url, utf8 } from '../crypto/bytes.ts';
import { signingKeyOfMember } from '../crypto/keys.ts';
import { verify } from '../crypto/sign.ts';
import { createIdentity } from '../identity/Identity.ts';
import {
  CanonicalError,
  canonicalJson,
  deriveItemId,
  newNonce,
  RECORD_LABEL,
  signedText,
  signRecord,
} from './canonical.ts';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { y: 1, x: 2 }], c: 'é"' }, u: undefined })).toBe(
      '{"a":{"c":"é\\"","d":[3,{"x":2,"y":1}]},"b":1}',
    );
  });
  it('is the same whatever order the keys were written in', () => {
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });
  it('refuses values that could encode differently elsewhere', () => {
    for (const bad of [1.5, Number.NaN, 2 ** 60, new Date(0), new Uint8Array(1), () => 1, 10n]) {
      expect(() => canonicalJson({ v: bad })).toThrow(CanonicalError);
    }
  });
});

describe('signRecord', () => {
  const ann = createIdentity('Ann');
  it('signs the label, the group id and the fields without sig', () => {
    const r = signRecord(ann, 'GROUP', { kind: 'x', n: 1 });
    expect(Object.isFrozen(r)).toBe(true);
    const text = signedText('GROUP', r);
    expect(text).toBe(`${RECORD_LABEL}\u0000GROUP\u0000{"kind":"x","n":1}`);
    expect(verify(signingKeyOfMember(ann.id), utf8(text), fromBase64Url(r.sig))).toBe(true);
    expect(
      verify(signingKeyOfMember(ann.id), utf8(signedText('OTHER', r)), fromBase64Url(r.sig)),
    ).toBe(false);
  });
});

describe('deriveItemId', () => {
  it('is 16 characters, deterministic and bound to the author', () => {
    const ann = createIdentity('Ann');
    const bob = createIdentity('Bob');
    const nonce = newNonce();
    expect(nonce).toHaveLength(11);
    const id = deriveItemId(ann.id, nonce);
    expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(deriveItemId(ann.id, nonce)).toBe(id);
    expect(deriveItemId(bob.id, nonce)).not.toBe(id);
    expect(deriveItemId(ann.id, newNonce())).not.toBe(id);
  });
});
