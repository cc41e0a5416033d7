// Linking a second device of the same member (docs/PROTOCOL.md, "Linking a device"). Device A
// makes a one-time secret, seals its identity (with keys of B's own) and its group list under
// a key derived from it, and leaves the sealed parts on its relay as one-use invite capsules
// that expire in minutes; the link (shown as a QR code) carries the secret and the relay.
// Device B opens the capsules, checks them and writes the identity and the group list into
// its storage; it then pulls every group's history from the relay like any member's device.
import nacl from 'tweetnacl';
import { concatBytes, fromBase64Url, fromUtf8, toBase64Url, utf8 } from '../crypto/bytes.ts';
import type { BoxPublicKey, StoreKey } from '../crypto/keys.ts';
import { open, seal } from '../crypto/sealed.ts';
import { HearthError } from '../errors.ts';
import {
  createDeviceKeys,
  type DeviceKeys,
  type Identity,
  identityFromJSON,
  identityToJSON,
} from '../identity/Identity.ts';
import { CAPSULE_MAX_BYTES } from '../invite/capsule.ts';
import type { InviteRelay } from '../invite/InviteRelay.ts';
import { InviteError, isRelayUrl } from '../invite/invite.ts';
import { encodeCreate } from '../invite/inviteWire.ts';
import type { StorageAdapter, StorageOp } from '../storage/StorageAdapter.ts';
import { type Peer, peersKey, peersToJSON, rememberPeer } from './deviceSync.ts';
import type { Hearth } from './Hearth.ts';
import { GROUPS_PREFIX, IDENTITY_KEY } from './storageLayout.ts';

/** How long a link works: long enough to find the other device, short enough to be gone. */
export const LINK_TTL_MS = 10 * 60_000;
export const LINK_SECRET_BYTES = 32;
/** Parts a link may be split into (each one capsule on the relay). */
export const LINK_MAX_PARTS = 32;
/** Plain bytes per part: a sealed part (header, nonce, tag added) fits a capsule. */
const PART_BYTES = CAPSULE_MAX_BYTES - 64;
const LINK_MARKER = '#/link/';

export type LinkErrorCode = 'not-a-link' | 'expired' | 'damaged' | 'has-identity' | 'too-large';

const MESSAGES: Record<LinkErrorCode, string> = {
  'not-a-link': 'This is not a Hearth device link. Open “Link a device” on your other device.',
  expired:
    'This link has expired or was already used. Show a new QR code on your other device and try again.',
  damaged:
    'This link could not be read: it was changed or damaged. Show a new QR code on your other device.',
  'has-identity':
    'This device already has its own member. Linking works on a device where Hearth was never set up (or after “Import backup” on a fresh browser).',
  'too-large':
    'This device is in too many groups to link in one go. Export a backup and import it on the other device instead.',
};

export class LinkError extends HearthError<LinkErrorCode> {
  override readonly name = 'LinkError';
  constructor(code: LinkErrorCode, detail?: string) {
    super(code, MESSAGES[code], { detail });
  }
}

interface LinkPayload {
  readonly v: 1;
  readonly expiresAt: number;
  readonly identity: unknown;
  /** The registry rows as stored (Hearth's GroupEntry JSON). */
  readonly groups: readonly unknown[];
  /** Device A's own public device key: B's channel to A (deviceSync.ts) is boxed to it. */
  readonly peer?: { device: string; boxKey: string; label: string };
}

const hashOf = (label: string, ...parts: Uint8Array[]): Uint8Array =>
  nacl.hash(concatBytes(utf8(label), ...parts));

/** The relay room of part `i` and the key every part is sealed with. */
export function linkKeys(secret: Uint8Array): { key: StoreKey; room(i: number): string } {
  return {
    key: hashOf('hearth/link-key/v1', secret).slice(0, 32) as StoreKey,
    room: (i) =>
      toBase64Url(hashOf('hearth/link-room/v1', Uint8Array.of(i), secret).subarray(0, 16)),
  };
}

export function linkUrl(origin: string, secret: Uint8Array, relay: string): string {
  return `${origin.replace(/\/+$/, '')}/${LINK_MARKER}${toBase64Url(secret)}.${toBase64Url(utf8(relay))}`;
}

/** Reads a link (or its bare payload). */
export function parseLink(text: string): { secret: Uint8Array; relay: string } {
  const at = text.indexOf(LINK_MARKER);
  const payload = (at >= 0 ? text.slice(at + LINK_MARKER.length) : text).trim();
  const [s, r, ...rest] = payload.split('.');
  try {
    if (rest.length > 0 || !s || !r) throw new Error('shape');
    const secret = fromBase64Url(s);
    const relay = fromUtf8(fromBase64Url(r));
    if (secret.length !== LINK_SECRET_BYTES || !isRelayUrl(relay)) throw new Error('fields');
    return { secret, relay };
  } catch {
    throw new LinkError('not-a-link', 'the link does not parse');
  }
}

/**
 * Device A: gives the new device keys of its own, records both devices in every group (so a
 * later unlink can leave either out), and leaves the sealed link on `relay`. Returns the link.
 */
export async function offerLink(
  hearth: Hearth,
  inviteRelay: InviteRelay,
  opts: { relay: string; label: string; thisLabel?: string; now?: number },
): Promise<{ url: string; expiresAt: number }> {
  const now = opts.now ?? Date.now();
  const mine = await hearth.thisDevice(opts.thisLabel ?? 'First device');
  const theirs = createDeviceKeys(opts.label);
  await hearth.recordDevice(mine);
  await hearth.recordDevice(theirs);
  await rememberPeer(hearth.env.storage, peerOf(theirs));
  const me = hearth.me;
  const rows = await hearth.env.storage.loadRange(GROUPS_PREFIX);
  const expiresAt = now + LINK_TTL_MS;
  const payload: LinkPayload = {
    v: 1,
    expiresAt,
    identity: identityToJSON({ ...me, device: theirs }),
    groups: rows.map(({ data }) => JSON.parse(fromUtf8(data)) as unknown),
    peer: { device: mine.id, boxKey: toBase64Url(mine.box.publicKey), label: mine.label },
  };
  const plain = utf8(JSON.stringify(payload));
  const count = Math.ceil(plain.length / PART_BYTES);
  if (count > LINK_MAX_PARTS) throw new LinkError('too-large', `${plain.length} bytes`);
  const secret = nacl.randomBytes(LINK_SECRET_BYTES);
  const keys = linkKeys(secret);
  for (let i = 0; i < count; i++) {
    const part = concatBytes(
      Uint8Array.of(i, count),
      plain.subarray(i * PART_BYTES, (i + 1) * PART_BYTES),
    );
    const room = keys.room(i);
    const body = encodeCreate(
      room,
      {
        expiresAt,
        maxUses: 1,
        revokers: [me.signing.publicKey],
        capsule: seal(keys.key, part),
      },
      me.signing.secretKey,
    );
    await inviteRelay.put(room, body);
  }
  return { url: linkUrl(hearth.env.origin, secret, opts.relay), expiresAt };
}

/**
 * Device B: opens the link's parts (each can be opened once), checks what they hold and saves
 * the member's identity and group list in one batch. The caller then reloads the app.
 */
export async function acceptLink(
  storage: StorageAdapter,
  inviteRelay: InviteRelay,
  link: { secret: Uint8Array },
  now: number = Date.now(),
): Promise<Identity> {
  if (await storage.load(IDENTITY_KEY)) throw new LinkError('has-identity');
  const keys = linkKeys(link.secret);
  const parts: Uint8Array[] = [];
  let count = 1;
  for (let i = 0; i < count; i++) {
    let sealed: Uint8Array;
    try {
      sealed = await inviteRelay.open(keys.room(i));
    } catch (e) {
      if (e instanceof InviteError && e.code === 'gone') throw new LinkError('expired');
      throw e;
    }
    let plain: Uint8Array;
    try {
      plain = open(keys.key, sealed);
    } catch {
      throw new LinkError('damaged', `part ${i} does not open`);
    }
    if (plain[0] !== i || !plain[1] || plain[1] > LINK_MAX_PARTS || (i > 0 && plain[1] !== count)) {
      throw new LinkError('damaged', `part ${i} header`);
    }
    count = plain[1];
    parts.push(plain.subarray(2));
  }
  let payload: LinkPayload;
  try {
    payload = JSON.parse(fromUtf8(concatBytes(...parts))) as LinkPayload;
  } catch {
    throw new LinkError('damaged', 'not JSON');
  }
  if (payload?.v !== 1 || !Array.isArray(payload.groups) || typeof payload.expiresAt !== 'number') {
    throw new LinkError('damaged', 'payload fields');
  }
  if (payload.expiresAt <= now) throw new LinkError('expired', 'the signed expiry passed');
  let identity: Identity;
  try {
    identity = identityFromJSON(payload.identity);
  } catch {
    throw new LinkError('damaged', 'identity');
  }
  if (!identity.device) throw new LinkError('damaged', 'no device keys');
  const ops: StorageOp[] = [
    { op: 'save', key: IDENTITY_KEY, data: utf8(JSON.stringify(payload.identity)) },
  ];
  const peer = payload.peer;
  if (peer) {
    if (typeof peer.device !== 'string' || typeof peer.boxKey !== 'string') {
      throw new LinkError('damaged', 'peer');
    }
    const boxKey = fromBase64Url(peer.boxKey) as BoxPublicKey;
    if (boxKey.length !== nacl.box.publicKeyLength) throw new LinkError('damaged', 'peer key');
    const label = typeof peer.label === 'string' ? peer.label : 'A device';
    ops.push({
      op: 'save',
      key: peersKey(),
      data: peersToJSON([{ device: peer.device, boxKey, label }]),
    });
  }
  for (const g of payload.groups) {
    const id = (g as { groupId?: unknown } | null)?.groupId;
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
      throw new LinkError('damaged', 'group row');
    }
    ops.push({ op: 'save', key: [...GROUPS_PREFIX, id], data: utf8(JSON.stringify(g)) });
  }
  await storage.batch(ops);
  return identity;
}

const peerOf = (d: DeviceKeys): Peer => ({ device: d.id, boxKey: d.box.publicKey, label: d.label });
