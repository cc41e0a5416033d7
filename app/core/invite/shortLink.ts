// Short invite links (payload version 2): only a random invite secret and, when the capsule
// is not on the app's own relay, that relay's address. The secret unlocks a sealed capsule the
// relay keeps until the invite expires or is withdrawn (capsule.ts), so a link found later in
// a browser's history, a chat log or a photo of its QR code opens nothing once that happened.
import nacl from 'tweetnacl';
import { bytesEqual, concatBytes, toBase64Url, utf8 } from '../crypto/bytes.ts';
import {
  decodeLenient,
  decodeUtf8,
  extractPayload,
  type Invite,
  InviteError,
  isRelayUrl,
  JOIN_MARKER,
  parseInvite,
  RELAY_SCHEMES,
  Reader,
  Truncated,
  writeString,
} from './invite.ts';
import { INVITE_SECRET_BYTES } from './limits.ts';

export const SHORT_INVITE_VERSION = 2;
export { INVITE_SECRET_BYTES };

const SHORT_CHECK_BYTES = 2;

/** What a short link holds. */
export interface ShortInvite {
  readonly secret: Uint8Array;
  /** The relay keeping the capsule (ws:// or wss://), or null for the app's own relay. */
  readonly relay: string | null;
}

/** Any invite link: a short one (version 2) or a long one from before (version 1). */
export type AnyInvite =
  | { readonly kind: 'short'; readonly short: ShortInvite }
  | { readonly kind: 'long'; readonly invite: Invite };

function check(body: Uint8Array): Uint8Array {
  return nacl.hash(concatBytes(utf8('hearth/invite/v2'), body)).subarray(0, SHORT_CHECK_BYTES);
}

/** `${origin}/#/join/<payload>`; the relay is left out when it is null. */
export function createShortLink(options: {
  secret: Uint8Array;
  relay: string | null;
  origin: string;
}): string {
  if (options.secret.length !== INVITE_SECRET_BYTES) {
    throw new InviteError('bad-key', `invite secret must be ${INVITE_SECRET_BYTES} bytes`);
  }
  const origin = options.origin.trim().replace(/\/+$/, '');
  if (!/^https?:\/\/[^\s#?]+$/.test(origin)) throw new InviteError('bad-field', 'origin');
  const out: number[] = [SHORT_INVITE_VERSION, ...options.secret];
  if (options.relay === null) out.push(0);
  else {
    if (!isRelayUrl(options.relay)) throw new InviteError('bad-field', 'relay URL');
    const scheme = options.relay.startsWith('wss://') ? 0 : 1;
    out.push(1, scheme);
    writeString(out, options.relay.slice(RELAY_SCHEMES[scheme].length));
  }
  const body = Uint8Array.from(out);
  return `${origin}/${JOIN_MARKER}${toBase64Url(concatBytes(body, check(body)))}`;
}

function parseShortBytes(bytes: Uint8Array): ShortInvite {
  const r = new Reader(bytes);
  let secret: Uint8Array;
  let relay: string | null = null;
  try {
    r.byte();
    secret = r.take(INVITE_SECRET_BYTES).slice();
    const count = r.byte();
    if (count > 1) throw new InviteError('bad-encoding', 'relay count');
    if (count === 1) {
      const scheme = RELAY_SCHEMES[r.byte()];
      const rest = r.string();
      if (scheme === undefined) throw new InviteError('bad-encoding', 'relay scheme');
      relay = scheme + decodeUtf8(rest, 'relay URL');
    }
  } catch (e) {
    if (e instanceof Truncated) throw new InviteError('truncated', 'payload ends early');
    throw e;
  }
  const left = bytes.length - r.pos;
  if (left < SHORT_CHECK_BYTES) throw new InviteError('truncated', 'check bytes missing');
  if (left > SHORT_CHECK_BYTES) throw new InviteError('bad-encoding', 'bytes after the check');
  if (!bytesEqual(check(bytes.subarray(0, r.pos)), bytes.subarray(r.pos))) {
    throw new InviteError('bad-encoding', 'check bytes do not match');
  }
  if (relay !== null && !isRelayUrl(relay)) throw new InviteError('bad-field', 'relay URL');
  return { secret, relay };
}

/**
 * Reads a short or a long invite from a link, the same with stray whitespace or quotes, or a
 * bare payload. Every failure is an InviteError with a plain message.
 */
export function parseAnyInvite(text: string): AnyInvite {
  if (typeof text !== 'string') throw new InviteError('not-an-invite', 'not text');
  const { payload, fromLink } = extractPayload(text);
  if (/^[A-Za-z0-9_-]+$/.test(payload)) {
    const bytes = decodeLenient(payload);
    if (bytes[0] === SHORT_INVITE_VERSION) return { kind: 'short', short: parseShortBytes(bytes) };
  }
  // Everything else, including every error, is the long format's business.
  return { kind: 'long', invite: parseInvite(fromLink ? `${JOIN_MARKER}${payload}` : payload) };
}
