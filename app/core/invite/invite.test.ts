import nacl from 'tweetnacl';
import { describe, expect, it } from 'vitest';
import { concatBytes, fromBase64Url, toBase64Url, utf8 } from '../crypto/bytes.ts';
import {
  type GroupId,
  type GroupKey,
  generateGroupId,
  generateGroupKey,
  generateSigningKeyPair,
  memberIdOf,
} from '../crypto/keys.ts';
import {
  type CreateInviteOptions,
  createInvite,
  type Invite,
  InviteError,
  type InviteErrorCode,
  isRelayUrl,
  parseInvite,
} from './invite.ts';

const base: CreateInviteOptions = {
  groupKey: generateGroupKey(),
  groupId: generateGroupId(),
  groupName: 'Garden club 🌱',
  inviterName: 'Ann Lee',
  inviterId: memberIdOf(generateSigningKeyPair().publicKey),
  relays: ['wss://relay.example.org/signal', 'ws://192.168.1.20:8787'],
  origin: 'https://hearth.example/',
};

function codeOf(f: () => unknown): InviteErrorCode | 'ok' {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (e instanceof InviteError) return e.code;
    throw e;
  }
}

const payloadOf = (link: string): string => link.slice(link.indexOf('#/join/') + 7);

/** A payload with a correct check, for inputs the encoder itself refuses to produce. */
function rawPayload(parts: (number | Uint8Array | string)[]): string {
  const out: number[] = [];
  for (const p of parts) {
    if (typeof p === 'number') out.push(p);
    else if (typeof p === 'string') {
      const b = utf8(p);
      out.push(b.length, ...b);
    } else out.push(...p);
  }
  const body = Uint8Array.from(out);
  const check = nacl.hash(concatBytes(utf8('hearth/invite/v1'), body)).subarray(0, 4);
  return toBase64Url(concatBytes(body, check));
}

const K = new Uint8Array(32).map((_, i) => i + 1);
const ID = new Uint8Array(16).fill(7);
const INV = new Uint8Array(32).fill(9);

describe('createInvite / parseInvite', () => {
  it('round-trips every field', () => {
    const link = createInvite(base);
    expect(link.startsWith('https://hearth.example/#/join/')).toBe(true);
    const invite = parseInvite(link);
    expect(invite).toEqual({
      version: 1,
      groupKey: base.groupKey,
      groupId: base.groupId,
      groupName: base.groupName,
      inviterName: base.inviterName,
      inviterId: base.inviterId,
      relays: base.relays,
    } satisfies Invite);
  });

  it('stays compact enough for a QR code', () => {
    // Two relays, two names, key, group id and inviter id: still a QR code a phone reads easily.
    expect(payloadOf(createInvite(base)).length).toBeLessThan(240);
  });

  it('accepts the link with whitespace, line breaks, angle brackets, or the bare payload', () => {
    const link = createInvite(base);
    const p = payloadOf(link);
    const wrapped = `  <${link.slice(0, 40)}\n  ${link.slice(40, 90)}\r\n${link.slice(90)}>.  `;
    for (const input of [link, ` ${link}\n`, wrapped, p, ` ${p} `, `#/join/${p}`]) {
      expect(parseInvite(input).groupId).toBe(base.groupId);
    }
  });

  it('cleans names and drops duplicate relays when creating', () => {
    const link = createInvite({
      ...base,
      groupName: '  Garden \n club ',
      relays: ['wss://a.example', 'wss://a.example'],
    });
    const invite = parseInvite(link);
    expect(invite.groupName).toBe('Garden club');
    expect(invite.relays).toEqual(['wss://a.example']);
  });

  it('allows an invite without relays', () => {
    expect(parseInvite(createInvite({ ...base, relays: [] })).relays).toEqual([]);
  });

  it('refuses to create invites it could not parse back', () => {
    const cases: [Partial<CreateInviteOptions>, InviteErrorCode][] = [
      [{ groupKey: new Uint8Array(31) as GroupKey }, 'bad-key'],
      [{ groupKey: new Uint8Array(32) as GroupKey }, 'bad-key'],
      [{ groupId: 'short' as GroupId }, 'bad-field'],
      [{ groupId: '!!' as GroupId }, 'bad-field'],
      [{ groupName: '  ' }, 'bad-field'],
      [{ inviterName: 'x'.repeat(101) }, 'bad-field'],
      [{ relays: ['https://relay.example'] }, 'bad-field'],
      [{ relays: Array.from({ length: 9 }, (_, i) => `wss://r${i}.example`) }, 'bad-field'],
      [{ relays: [`wss://r.example/${'a'.repeat(300)}`] }, 'bad-field'],
      [{ origin: 'javascript:alert(1)' }, 'bad-field'],
    ];
    for (const [patch, code] of cases)
      expect(codeOf(() => createInvite({ ...base, ...patch }))).toBe(code);
  });
});

describe('parseInvite errors', () => {
  const link = createInvite(base);
  const p = payloadOf(link);

  it('not-an-invite: other links and text', () => {
    for (const input of ['', '   ', 'https://example.com/page', 'hello there!', 'mailto:x@y']) {
      expect(codeOf(() => parseInvite(input))).toBe('not-an-invite');
    }
    // A bare word that happens to be base64url but does not start like an invite.
    expect(codeOf(() => parseInvite('hello'))).toBe('not-an-invite');
  });

  it('truncated: every cut of the link after the marker', () => {
    const start = link.indexOf('#/join/') + 7;
    for (let end = start; end < link.length; end++) {
      expect(codeOf(() => parseInvite(link.slice(0, end)))).toBe('truncated');
    }
  });

  it('bad-encoding: changed characters, stray characters, extra bytes', () => {
    const changed = p.slice(0, 60) + (p[60] === 'A' ? 'B' : 'A') + p.slice(61);
    expect(codeOf(() => parseInvite(`https://h.example/#/join/${changed}`))).toBe('bad-encoding');
    expect(
      codeOf(() => parseInvite(`https://h.example/#/join/${p.slice(0, 10)}*${p.slice(10)}`)),
    ).toBe('bad-encoding');
    const bytes = fromBase64Url(p);
    const longer = toBase64Url(concatBytes(bytes.subarray(0, bytes.length - 4), new Uint8Array(9)));
    expect(codeOf(() => parseInvite(longer))).toBe('bad-encoding');
  });

  it('unknown-version: a newer format', () => {
    const bytes = fromBase64Url(p).slice();
    bytes[0] = 2;
    expect(codeOf(() => parseInvite(toBase64Url(bytes)))).toBe('unknown-version');
  });

  it('bad-key: a degenerate group key', () => {
    const payload = rawPayload([1, new Uint8Array(32), ID, INV, 'G', 'A', 0]);
    expect(codeOf(() => parseInvite(payload))).toBe('bad-key');
  });

  it('bad-field: names and relays outside the limits', () => {
    const cases = [
      rawPayload([1, K, ID, INV, '', 'A', 0]),
      rawPayload([1, K, ID, INV, 'G', ' padded ', 0]),
      rawPayload([1, K, ID, INV, 'G\u202e', 'A', 0]),
      rawPayload([1, K, ID, INV, 'G', 'A', 1, 0, 'bad host!']),
      rawPayload([1, K, ID, INV, 'G', 'A', 1, 1, 'user:pw@host.example']),
      rawPayload([1, K, ID, INV, 'G', 'A', 1, 0, 'h.example:99999']),
      rawPayload([1, K, ID, INV, 'G', 'A', 1, 0, 'h.example/#frag']),
      rawPayload([1, K, ID, INV, 'G', 'A', 1, 0, 'h.example/path with space']),
      rawPayload([1, K, ID, INV, 'G', 'A', 1, 0, new Uint8Array([2, 0xff, 0xfe])]),
    ];
    for (const payload of cases) expect(codeOf(() => parseInvite(payload))).toBe('bad-field');
    const fine = rawPayload([1, K, ID, INV, 'G', 'A', 1, 0, 'h.example:443/x?y=1']);
    expect(parseInvite(fine).relays).toEqual(['wss://h.example:443/x?y=1']);
  });

  it('messages are plain words', () => {
    expect(() => parseInvite(link.slice(0, 60))).toThrow(
      'This link is cut off — ask for the whole link again.',
    );
  });
});

describe('parseInvite fuzz', () => {
  // Small deterministic PRNG so a failure can be reproduced.
  let seed = 0x9e3779b9;
  const rand = (n: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const link = createInvite(base);
  const bytes = fromBase64Url(payloadOf(link));

  it('every single-bit flip is caught', () => {
    for (let i = 0; i < bytes.length * 8; i++) {
      const flipped = bytes.slice();
      flipped[i >> 3]! ^= 1 << (i & 7);
      expect(codeOf(() => parseInvite(toBase64Url(flipped)))).not.toBe('ok');
    }
  });

  it('random damage never throws anything but InviteError', () => {
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_ #/:%.';
    for (let round = 0; round < 3000; round++) {
      let text = link;
      const edits = 1 + rand(4);
      for (let e = 0; e < edits; e++) {
        const at = rand(text.length);
        const op = rand(4);
        if (op === 0) text = text.slice(0, at);
        else if (op === 1)
          text = text.slice(0, at) + alphabet[rand(alphabet.length)] + text.slice(at + 1);
        else if (op === 2) text = text.slice(0, at) + text.slice(at + 1);
        else text = text.slice(0, at) + alphabet[rand(alphabet.length)] + text.slice(at);
      }
      const result = codeOf(() => parseInvite(text));
      expect(typeof result).toBe('string');
    }
    for (let round = 0; round < 2000; round++) {
      const junk = new Uint8Array(rand(160)).map(() => rand(256));
      if (rand(2) === 0 && junk.length > 0) junk[0] = 1;
      expect(typeof codeOf(() => parseInvite(toBase64Url(junk)))).toBe('string');
    }
  });
});

describe('isRelayUrl', () => {
  it('accepts ws and wss hosts, IPs, ports and paths', () => {
    for (const u of [
      'wss://a.example',
      'ws://127.0.0.1:8787/signal',
      'wss://[::1]:443/',
      'ws://localhost',
    ]) {
      expect(isRelayUrl(u)).toBe(true);
    }
  });
  it('rejects other schemes, credentials, spaces, bad ports', () => {
    for (const u of [
      'http://a.example',
      'wss://',
      'wss://a b',
      'wss://u@a.example',
      'wss://a.example:0',
      'javascript:1',
    ]) {
      expect(isRelayUrl(u)).toBe(false);
    }
  });
});
