// Invite links carry everything needed to join a group: the group key K, the group id, two
// names to show before joining, and the relays to meet on. They travel in the URL fragment
// (never sent to a server) and are drawn as QR codes, so the payload is a compact binary.
import nacl from 'tweetnacl';
import {
  bytesEqual,
  concatBytes,
  fromBase64Url,
  fromUtf8,
  toBase64Url,
  utf8,
} from '../crypto/bytes.ts';
import { GROUP_KEY_BYTES, type GroupId, type GroupKey, type MemberId } from '../crypto/keys.ts';
import { HearthError } from '../errors.ts';
import { cleanName, isCleanName } from '../text/displayName.ts';
import { INVITE_MAX_URL_CHARS, isRelayUrl, RELAY_SCHEMES } from './limits.ts';

export { INVITE_MAX_URL_CHARS, isRelayUrl, RELAY_SCHEMES };

/*
 * Payload v1, base64url without padding:
 *   version = 1 (1 byte) | K (32) | group id (16) | inviter's member id (32) |
 *   group name | inviter name |
 *   relay count (1) | per relay: scheme (1: 0 = wss, 1 = ws), rest of the URL |
 *   check (4) = SHA-512("hearth/invite/v1" || every byte before it)[0..4]
 * Strings are a LEB128 byte length followed by UTF-8. The check turns a mistyped or
 * damaged link into an error instead of a silent join to a room nobody is in.
 */
export const INVITE_VERSION = 1;
export const INVITE_MAX_RELAYS = 8;
export const GROUP_ID_BYTES = 16;
const CHECK_BYTES = 4;
export const MEMBER_ID_BYTES = 32;
const MAX_STRING_BYTES = 1200;
export const JOIN_MARKER = '#/join/';

export interface Invite {
  readonly version: 1;
  readonly groupKey: GroupKey;
  readonly groupId: GroupId;
  readonly groupName: string;
  readonly inviterName: string;
  /** The inviter's member id, recorded as `invitedBy` when the invitee joins. */
  readonly inviterId: MemberId;
  /** ws:// or wss:// URLs, at most 8; may be empty (the app then uses its own relay). */
  readonly relays: readonly string[];
}

export interface CreateInviteOptions {
  readonly groupKey: GroupKey;
  readonly groupId: GroupId;
  readonly groupName: string;
  readonly inviterName: string;
  readonly inviterId: MemberId;
  readonly relays: readonly string[];
  /** Where the app is served, e.g. `https://hearth.example` (a path is allowed). */
  readonly origin: string;
}

export type InviteErrorCode =
  | 'not-an-invite'
  | 'truncated'
  | 'bad-encoding'
  | 'unknown-version'
  | 'bad-key'
  | 'bad-field'
  // Short links (capsule.ts, Invites.ts):
  | 'gone'
  | 'tampered'
  | 'unreachable'
  | 'refused'
  | 'conflict'
  | 'not-allowed'
  | 'bad-options';

const MESSAGES: Record<InviteErrorCode, string> = {
  'not-an-invite': "This isn't a Hearth invite link. Check that you copied the right link.",
  truncated: 'This link is cut off — ask for the whole link again.',
  'bad-encoding': 'This link is damaged (some characters were changed) — ask for the link again.',
  'unknown-version':
    'This invite was made by a newer version of Hearth — update the app, then open the link again.',
  'bad-key': 'The group key in this invite is not valid — ask for a new invite.',
  'bad-field': 'This invite holds something Hearth cannot accept — ask for a new invite.',
  gone: 'This invitation has expired, was withdrawn, or has been used up. Nothing about the group can be shown. Ask for a new invitation.',
  tampered:
    'This invitation was changed after it was made, so Hearth will not use it. Ask for a new invitation.',
  unreachable:
    'Hearth could not reach the relay that keeps this invitation. Check your connection and try again.',
  refused:
    'The relay did not accept this request about the invitation. Try again later; if it keeps happening, ask whoever runs the relay.',
  conflict:
    'This invitation claims a group you are in under another key, and it was not made by a member of that group. It cannot replace it: nothing was changed. Check with the person who sent it.',
  'not-allowed':
    'Only the person who made this invitation, the group’s creator or an admin can withdraw it.',
  'bad-options':
    'An invitation lasts from one minute to 7 days and can be used at most 1000 times. Choose again.',
};

export class InviteError extends HearthError<InviteErrorCode> {
  override readonly name = 'InviteError';
  /** `detail` is for logs and developers; the message, fixed per code, is for people. */
  constructor(code: InviteErrorCode, detail?: string, cause?: unknown) {
    super(code, MESSAGES[code], { detail, cause });
  }
}

export function checkRelays(relays: readonly string[]): string[] {
  if (relays.length > INVITE_MAX_RELAYS) {
    throw new InviteError('bad-field', `more than ${INVITE_MAX_RELAYS} relays`);
  }
  for (const r of relays) {
    if (!isRelayUrl(r)) throw new InviteError('bad-field', `relay URL not accepted: ${r}`);
  }
  return [...new Set(relays)];
}

function isDegenerateKey(key: Uint8Array): boolean {
  return key.every((b) => b === key[0]);
}

// --- encoding ------------------------------------------------------------------------------

export function writeString(out: number[], text: string): void {
  const bytes = utf8(text);
  let n = bytes.length;
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  out.push(n);
  for (const b of bytes) out.push(b);
}

/** Relays as the invite and the capsule write them: a count, then a scheme byte and the rest. */
export function writeRelays(out: number[], relays: readonly string[]): void {
  out.push(relays.length);
  for (const r of relays) {
    const scheme = r.startsWith('wss://') ? 0 : 1;
    out.push(scheme);
    writeString(out, r.slice(RELAY_SCHEMES[scheme].length));
  }
}

/** An encoded relay: its scheme and the rest, not yet decoded or checked. */
export interface RawRelay {
  readonly scheme: string;
  readonly rest: Uint8Array;
}

/** Reads what writeRelays wrote; a bad count or scheme is an InviteError with `code`. */
export function readRelays(r: Reader, code: InviteErrorCode): RawRelay[] {
  const count = r.byte();
  if (count > INVITE_MAX_RELAYS) throw new InviteError(code, 'relay count');
  const relays: RawRelay[] = [];
  for (let i = 0; i < count; i++) {
    const scheme = RELAY_SCHEMES[r.byte()];
    const rest = r.string();
    if (scheme === undefined) throw new InviteError(code, 'relay scheme');
    relays.push({ scheme, rest });
  }
  return relays;
}

/** The relay URLs of readRelays, decoded and checked. */
export const relayUrls = (relays: readonly RawRelay[]): string[] =>
  checkRelays(relays.map((x) => x.scheme + decodeUtf8(x.rest, 'relay URL')));

function checksum(body: Uint8Array): Uint8Array {
  return nacl.hash(concatBytes(utf8('hearth/invite/v1'), body)).subarray(0, CHECK_BYTES);
}

/** Builds the link `${origin}/#/join/<payload>`. Throws InviteError for input it could not parse back. */
export function createInvite(options: CreateInviteOptions): string {
  const { groupKey } = options;
  if (!(groupKey instanceof Uint8Array) || groupKey.length !== GROUP_KEY_BYTES) {
    throw new InviteError('bad-key', 'group key must be 32 bytes');
  }
  if (isDegenerateKey(groupKey)) throw new InviteError('bad-key', 'group key is degenerate');
  let groupId: Uint8Array;
  try {
    groupId = fromBase64Url(options.groupId);
  } catch {
    throw new InviteError('bad-field', 'group id is not base64url');
  }
  if (groupId.length !== GROUP_ID_BYTES) throw new InviteError('bad-field', 'group id length');
  let inviterId: Uint8Array;
  try {
    inviterId = fromBase64Url(options.inviterId);
  } catch {
    throw new InviteError('bad-field', 'inviter id is not base64url');
  }
  if (inviterId.length !== MEMBER_ID_BYTES) throw new InviteError('bad-field', 'inviter id length');
  const groupName = cleanName(options.groupName);
  const inviterName = cleanName(options.inviterName);
  if (groupName === null) throw new InviteError('bad-field', 'group name');
  if (inviterName === null) throw new InviteError('bad-field', 'inviter name');
  const relays = checkRelays(options.relays);
  const origin = options.origin.trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s#?]+$/.test(origin)) throw new InviteError('bad-field', 'origin');

  const out: number[] = [INVITE_VERSION, ...groupKey, ...groupId, ...inviterId];
  writeString(out, groupName);
  writeString(out, inviterName);
  writeRelays(out, relays);
  const body = Uint8Array.from(out);
  return `${origin}/${JOIN_MARKER}${toBase64Url(concatBytes(body, checksum(body)))}`;
}

// --- parsing -------------------------------------------------------------------------------

/** Thrown by Reader when the payload ends early; parsing turns it into the public error. */
export class Truncated extends InviteError {
  constructor() {
    super('truncated', 'payload ends early');
  }
}

export class Reader {
  pos = 0;
  constructor(readonly bytes: Uint8Array) {}
  take(n: number): Uint8Array {
    if (this.pos + n > this.bytes.length) throw new Truncated();
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  byte(): number {
    return this.take(1)[0]!;
  }
  string(): Uint8Array {
    let n = 0;
    for (let shift = 0; ; shift += 7) {
      const b = this.byte();
      n |= (b & 0x7f) << shift;
      if (b < 0x80) break;
      if (shift >= 7) throw new InviteError('bad-encoding', 'string length too long');
    }
    if (n > MAX_STRING_BYTES) throw new InviteError('bad-encoding', 'string too long');
    return this.take(n);
  }
}

/** Finds the payload in a link, a link with stray whitespace or quotes, or a bare payload. */
export function extractPayload(input: string): { payload: string; fromLink: boolean } {
  const s = input.replace(/\s+/g, '').replace(/^[<"'([]+|[>"')\].,;!]+$/g, '');
  const at = s.indexOf(JOIN_MARKER);
  if (at >= 0)
    return { payload: s.slice(at + JOIN_MARKER.length).replace(/\/+$/, ''), fromLink: true };
  if (s.length === 0 || /[/:#?]/.test(s)) {
    throw new InviteError('not-an-invite', 'no #/join/ in the link');
  }
  return { payload: s, fromLink: false };
}

/** base64url decode that tolerates a cut in the middle of a character group. */
export function decodeLenient(payload: string): Uint8Array {
  for (let end = payload.length; end >= 0; end--) {
    try {
      return fromBase64Url(payload.slice(0, end));
    } catch {
      // A valid payload never has stray bits, so only a cut lands here: drop a character.
    }
  }
  return new Uint8Array(0);
}

export function decodeUtf8(bytes: Uint8Array, what: string): string {
  try {
    return fromUtf8(bytes);
  } catch {
    throw new InviteError('bad-field', `${what} is not UTF-8`);
  }
}

export function decodeString(bytes: Uint8Array, what: string): string {
  const text = decodeUtf8(bytes, what);
  if (!isCleanName(text))
    throw new InviteError('bad-field', `${what} is empty, too long or unclean`);
  return text;
}

/**
 * Reads an invite from a full link (`https://…/#/join/<payload>`), the same with extra
 * whitespace, or the bare payload. Every failure is an InviteError with a plain message.
 */
export function parseInvite(urlOrPayload: string): Invite {
  if (typeof urlOrPayload !== 'string') throw new InviteError('not-an-invite', 'not text');
  const { payload, fromLink } = extractPayload(urlOrPayload);
  if (payload.length === 0) throw new InviteError('truncated', 'empty payload');
  if (!/^[A-Za-z0-9_-]+$/.test(payload)) {
    throw new InviteError(fromLink ? 'bad-encoding' : 'not-an-invite', 'not base64url');
  }
  const bytes = decodeLenient(payload);
  if (bytes.length === 0) throw new InviteError('truncated', 'no bytes');
  const version = bytes[0]!;
  if (version !== INVITE_VERSION) {
    if (version > INVITE_VERSION && version < 32) {
      throw new InviteError('unknown-version', `version ${version}`);
    }
    throw new InviteError(fromLink ? 'bad-encoding' : 'not-an-invite', `leading byte ${version}`);
  }

  const r = new Reader(bytes);
  let fields: {
    key: Uint8Array;
    id: Uint8Array;
    inviter: Uint8Array;
    groupName: Uint8Array;
    inviterName: Uint8Array;
    relays: RawRelay[];
  };
  try {
    r.byte();
    const key = r.take(GROUP_KEY_BYTES);
    const id = r.take(GROUP_ID_BYTES);
    const inviter = r.take(MEMBER_ID_BYTES);
    const groupName = r.string();
    const inviterName = r.string();
    const relays = readRelays(r, 'bad-encoding');
    fields = { key, id, inviter, groupName, inviterName, relays };
  } catch (e) {
    if (e instanceof Truncated) throw new InviteError('truncated', 'payload ends early');
    throw e;
  }
  const left = bytes.length - r.pos;
  if (left < CHECK_BYTES) throw new InviteError('truncated', 'check bytes missing');
  if (left > CHECK_BYTES) throw new InviteError('bad-encoding', 'bytes after the check');
  if (!bytesEqual(checksum(bytes.subarray(0, r.pos)), bytes.subarray(r.pos))) {
    throw new InviteError('bad-encoding', 'check bytes do not match');
  }

  if (isDegenerateKey(fields.key)) throw new InviteError('bad-key', 'group key is degenerate');
  const groupName = decodeString(fields.groupName, 'group name');
  const inviterName = decodeString(fields.inviterName, 'inviter name');
  const relays = relayUrls(fields.relays);
  return {
    version: 1,
    groupKey: fields.key.slice() as GroupKey,
    groupId: toBase64Url(fields.id) as GroupId,
    groupName,
    inviterName,
    inviterId: toBase64Url(fields.inviter) as MemberId,
    relays,
  };
}
