import nacl from 'tweetnacl';
import { describe, expect, it, vi } from 'vitest';
import { utf8 } from '../crypto/bytes.ts';
import { signingKeyOfMember } from '../crypto/keys.ts';
import { sign, verify } from '../crypto/sign.ts';
import {
  checkIdentityKeys,
  createIdentity,
  IdentityError,
  type IdentityJSON,
  identityFromJSON,
  identityToJSON,
  renameIdentity,
} from './Identity.ts';

function codeOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof IdentityError) return e.code;
    throw e;
  }
  return undefined;
}

describe('Identity', () => {
  it('has an id that is its signing public key', () => {
    const me = createIdentity('  Ann  ', 1000);
    expect(me.name).toBe('Ann');
    expect(me.createdAt).toBe(1000);
    expect(signingKeyOfMember(me.id)).toEqual(me.signing.publicKey);
    const sig = sign(me.signing.secretKey, utf8('x'));
    expect(verify(signingKeyOfMember(me.id), utf8('x'), sig)).toBe(true);
  });

  it('round-trips through JSON with working keys', () => {
    const me = createIdentity('Ann');
    const json = JSON.parse(JSON.stringify(identityToJSON(me)));
    const back = identityFromJSON(json);
    expect(back).toEqual(me);
    // The box keys still agree with a peer after the round trip.
    const peer = nacl.box.keyPair();
    expect(nacl.box.before(peer.publicKey, back.box.secretKey)).toEqual(
      nacl.box.before(me.box.publicKey, peer.secretKey),
    );
  });

  it('renames without touching keys', () => {
    const me = createIdentity('Ann');
    const renamed = renameIdentity(me, 'Annie');
    expect(renamed.name).toBe('Annie');
    expect(renamed.id).toBe(me.id);
    expect(codeOf(() => renameIdentity(me, '   '))).toBe('bad-name');
  });

  it('rejects bad names at creation', () => {
    expect(codeOf(() => createIdentity(''))).toBe('bad-name');
    expect(codeOf(() => createIdentity('x'.repeat(101)))).toBe('bad-name');
  });

  it('rejects damaged stored identities with typed errors', () => {
    const good = identityToJSON(createIdentity('Ann'));
    const other = identityToJSON(createIdentity('Bob'));
    const cases: [unknown, string][] = [
      [null, 'bad-format'],
      ['x', 'bad-format'],
      [[], 'bad-format'],
      [{ ...good, v: 2 }, 'unknown-version'],
      [{ ...good, v: undefined }, 'unknown-version'],
      [{ ...good, name: '' }, 'bad-name'],
      [{ ...good, name: ' Ann' }, 'bad-name'],
      [{ ...good, createdAt: 'yesterday' }, 'bad-format'],
      [{ ...good, signingSeed: 'not base64!' }, 'bad-key'],
      [{ ...good, signingSeed: good.signingSeed.slice(0, 20) }, 'bad-key'],
      [{ ...good, boxSecretKey: 42 }, 'bad-key'],
      [{ ...good, id: other.id } satisfies IdentityJSON, 'bad-key'],
    ];
    for (const [input, code] of cases) expect(codeOf(() => identityFromJSON(input))).toBe(code);
  });

  it('loads without deriving keys, and checks them afterwards', async () => {
    const me = createIdentity('Ann');
    const json = JSON.parse(JSON.stringify(identityToJSON(me)));
    const fast = identityFromJSON(json, { checkKeys: false });
    expect(fast).toEqual(me);
    const sig = sign(fast.signing.secretKey, utf8('x'));
    expect(verify(signingKeyOfMember(me.id), utf8('x'), sig)).toBe(true);
    await expect(checkIdentityKeys(fast)).resolves.toBeUndefined();

    // Someone else's seed under this id passes the quick load, not the check.
    const other = identityToJSON(createIdentity('Bob'));
    const swapped = identityFromJSON(
      { ...json, signingSeed: other.signingSeed },
      { checkKeys: false },
    );
    await expect(checkIdentityKeys(swapped)).rejects.toMatchObject({ code: 'bad-key' });
    expect(codeOf(() => identityFromJSON({ ...json, id: 'x' }, { checkKeys: false }))).toBe(
      'bad-key',
    );
  });

  it('checks keys with tweetnacl where WebCrypto has no ed25519', async () => {
    vi.stubGlobal('crypto', undefined);
    try {
      const me = createIdentity('Ann');
      const other = identityToJSON(createIdentity('Bob'));
      const json = identityToJSON(me);
      await expect(
        checkIdentityKeys(identityFromJSON(json, { checkKeys: false })),
      ).resolves.toBeUndefined();
      const swapped = { ...json, signingSeed: other.signingSeed };
      await expect(
        checkIdentityKeys(identityFromJSON(swapped, { checkKeys: false })),
      ).rejects.toMatchObject({ code: 'bad-key' });
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
