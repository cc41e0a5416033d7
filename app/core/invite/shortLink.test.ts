import { describe, expect, it } from 'vitest';
import { toBase64Url } from '../crypto/bytes.ts';
import {
  generateGroupId,
  generateGroupKey,
  generateSigningKeyPair,
  memberIdOf,
} from '../crypto/keys.ts';
import { deriveCapsuleKeys } from './capsule.ts';
import { createInvite, InviteError, type InviteErrorCode, parseInvite } from './invite.ts';
import { createShortLink, parseAnyInvite } from './shortLink.ts';

const secret = new Uint8Array(16).map((_, i) => 200 + i);
const ORIGIN = 'https://hearth.example';

function codeOf(f: () => unknown): InviteErrorCode | 'ok' {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof InviteError) return e.code;
    throw e;
  }
}

describe('short invite links', () => {
  it('matches the example in docs/PROTOCOL.md', () => {
    const s = new Uint8Array(16).map((_, i) => i);
    const link = createShortLink({ secret: s, relay: null, origin: ORIGIN });
    expect(link).toBe('https://hearth.example/#/join/AgABAgMEBQYHCAkKCwwNDg8AopA');
    const keys = deriveCapsuleKeys(s);
    expect(keys.room).toBe('_CUk0hPfVPdEf7GHFEL9fw');
    expect(toBase64Url(keys.key)).toBe('-3onfhVIvhWnkaviFdBRrGZf-oTbU332EXwZZPe1mRU');
  });

  it('round-trips the secret, with and without a relay, and stays short', () => {
    const link = createShortLink({ secret, relay: null, origin: `${ORIGIN}/` });
    expect(link).toMatch(/^https:\/\/hearth\.example\/#\/join\/[A-Za-z0-9_-]{27}$/);
    expect(parseAnyInvite(link)).toEqual({ kind: 'short', short: { secret, relay: null } });
    const far = createShortLink({ secret, relay: 'wss://relay.example/signal', origin: ORIGIN });
    expect(parseAnyInvite(far)).toEqual({
      kind: 'short',
      short: { secret, relay: 'wss://relay.example/signal' },
    });
    // Whitespace and quotes around a pasted link, and a bare payload, read the same.
    expect(parseAnyInvite(` "${link}" `)).toEqual(parseAnyInvite(link));
    expect(parseAnyInvite(link.slice(link.indexOf('#/join/') + 7))).toEqual(parseAnyInvite(link));
  });

  it('reports a damaged or cut link', () => {
    const link = createShortLink({ secret, relay: null, origin: ORIGIN });
    const at = link.indexOf('#/join/') + 10;
    const changed = link.slice(0, at) + (link[at] === 'A' ? 'B' : 'A') + link.slice(at + 1);
    expect(codeOf(() => parseAnyInvite(changed))).toBe('bad-encoding');
    expect(codeOf(() => parseAnyInvite(link.slice(0, -4)))).toBe('truncated');
    expect(codeOf(() => parseAnyInvite(`${link}AAAA`))).toBe('bad-encoding');
    expect(codeOf(() => parseAnyInvite('https://example.org/page'))).toBe('not-an-invite');
  });

  it('still reads a long link of the old format', () => {
    const long = createInvite({
      groupKey: generateGroupKey(),
      groupId: generateGroupId(),
      groupName: 'Choir',
      inviterName: 'Ann',
      inviterId: memberIdOf(generateSigningKeyPair().publicKey),
      relays: [],
      origin: ORIGIN,
    });
    expect(parseAnyInvite(long)).toEqual({ kind: 'long', invite: parseInvite(long) });
  });

  it('refuses to make a link it could not read back', () => {
    expect(
      codeOf(() => createShortLink({ secret: secret.subarray(1), relay: null, origin: ORIGIN })),
    ).toBe('bad-key');
    expect(codeOf(() => createShortLink({ secret, relay: 'http://x', origin: ORIGIN }))).toBe(
      'bad-field',
    );
    expect(codeOf(() => createShortLink({ secret, relay: null, origin: 'ftp://x' }))).toBe(
      'bad-field',
    );
  });
});
