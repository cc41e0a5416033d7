// The invite capsule: what a short link unlocks. It holds the group key, id and name, the
// relays and the inviter's id, signed by the inviter and sealed under a key derived from the
// link's secret, and it sits on a relay under a room id derived from the same secret. The relay
// sees neither the secret nor what is inside; it deletes the capsule at expiry, on a signed
// withdrawal, or after its last use (docs/PROTOCOL.md, "Invite capsules").
import nacl from 'tweetnacl';
import { concatBytes, fromBase64Url, toBase64Url, utf8 } from '../crypto/bytes.ts';
import {
  GROUP_KEY_BYTES,
  type GroupId,
  type GroupKey,
  type MemberId,
  type SigningPublicKey,
  type SigningSecretKey,
  type StoreKey,
} from '../crypto/keys.ts';
import { open, SealedBlobError, seal } from '../crypto/sealed.ts';
import { SIGNATURE_BYTES, sign, verify } from '../crypto/sign.ts';
import { cleanName } from '../text/displayName.ts';
import {
  checkRelays,
  decodeString,
  GROUP_ID_BYTES,
  InviteError,
  MEMBER_ID_BYTES,
  type RawRelay,
  Reader,
  readRelays,
  relayUrls,
  Truncated,
  writeRelays,
  writeString,
} from './invite.ts';
import { CAPSULE_MAX_BYTES, INVITE_SECRET_BYTES } from './limits.ts';

export const CAPSULE_VERSION = 1;
export { CAPSULE_MAX_BYTES };

const SIGN_CONTEXT = 'hearth/invite-capsule/v1';

/** Where a capsule lives and what seals it, both derived from the link's secret. */
export interface CapsuleKeys {
  /** The relay's invite room: 22 base64url characters, like a mailbox room id. */
  readonly room: string;
  readonly key: StoreKey;
}

export function deriveCapsuleKeys(secret: Uint8Array): CapsuleKeys {
  if (secret.length !== INVITE_SECRET_BYTES) {
    throw new InviteError('bad-key', `invite secret must be ${INVITE_SECRET_BYTES} bytes`);
  }
  const h = (label: string) => nacl.hash(concatBytes(utf8(label), secret));
  return {
    room: toBase64Url(h('hearth/invite-room/v1').subarray(0, 16)),
    key: h('hearth/invite-key/v1').slice(0, 32) as StoreKey,
  };
}

export function generateInviteSecret(): Uint8Array {
  return nacl.randomBytes(INVITE_SECRET_BYTES);
}

/** What a capsule says, once opened and checked. */
export interface CapsuleContents {
  readonly groupKey: GroupKey;
  readonly groupId: GroupId;
  readonly inviterId: MemberId;
  /** ms since the epoch; the capsule is refused from then on, whatever a relay says. */
  readonly expiresAt: number;
  readonly groupName: string;
  readonly inviterName: string;
  readonly relays: readonly string[];
}

function bytesOf(text: string, length: number, what: string): Uint8Array {
  let bytes: Uint8Array;
  try {
    bytes = fromBase64Url(text);
  } catch {
    throw new InviteError('bad-field', `${what} is not base64url`);
  }
  if (bytes.length !== length) throw new InviteError('bad-field', `${what} length`);
  return bytes;
}

function signedText(room: string, body: Uint8Array): Uint8Array {
  return concatBytes(utf8(SIGN_CONTEXT), utf8(room), body);
}

/**
 * Encodes, signs (with the inviter's signing key, whose public half is `inviterId`) and seals
 * a capsule for the room of `keys`. Refuses what it could not read back.
 */
export function sealCapsule(
  contents: CapsuleContents,
  signingKey: SigningSecretKey,
  keys: CapsuleKeys,
): Uint8Array {
  const { groupKey } = contents;
  if (groupKey.length !== GROUP_KEY_BYTES || groupKey.every((b) => b === groupKey[0])) {
    throw new InviteError('bad-key', 'group key');
  }
  const groupId = bytesOf(contents.groupId, GROUP_ID_BYTES, 'group id');
  const inviter = bytesOf(contents.inviterId, MEMBER_ID_BYTES, 'inviter id');
  if (toBase64Url(signingKey.subarray(32)) !== contents.inviterId) {
    throw new InviteError('bad-field', 'the signing key is not the inviter’s');
  }
  if (!Number.isSafeInteger(contents.expiresAt) || contents.expiresAt < 0) {
    throw new InviteError('bad-field', 'expiry');
  }
  const groupName = cleanName(contents.groupName);
  const inviterName = cleanName(contents.inviterName);
  if (groupName === null || inviterName === null) throw new InviteError('bad-field', 'names');
  const relays = checkRelays(contents.relays);

  const out: number[] = [CAPSULE_VERSION, ...groupKey, ...groupId, ...inviter];
  const expiry = new Uint8Array(8);
  new DataView(expiry.buffer).setBigUint64(0, BigInt(contents.expiresAt));
  out.push(...expiry);
  writeString(out, groupName);
  writeString(out, inviterName);
  writeRelays(out, relays);
  const body = Uint8Array.from(out);
  const signature = sign(signingKey, signedText(keys.room, body));
  return seal(keys.key, concatBytes(body, signature));
}

/**
 * Opens a capsule fetched from the room of `keys`: unseals it, reads every field, checks the
 * inviter's signature over it and this room, and refuses it once its signed expiry has passed.
 * Anything else is `tampered` (or `gone` when expired): the relay, or whoever answered in its
 * place, cannot make a device accept a capsule the inviter did not make for this link.
 */
export function openCapsule(sealed: Uint8Array, keys: CapsuleKeys, now: number): CapsuleContents {
  let plain: Uint8Array;
  try {
    plain = open(keys.key, sealed);
  } catch (e) {
    if (e instanceof SealedBlobError) throw new InviteError('tampered', `capsule: ${e.code}`);
    throw e;
  }
  if (plain.length < 1 + SIGNATURE_BYTES) throw new InviteError('tampered', 'capsule too short');
  const body = plain.subarray(0, plain.length - SIGNATURE_BYTES);
  const signature = plain.subarray(plain.length - SIGNATURE_BYTES);
  if (body[0] !== CAPSULE_VERSION) {
    throw new InviteError('unknown-version', `capsule version ${body[0]}`);
  }
  const r = new Reader(body);
  let fields: {
    key: Uint8Array;
    id: Uint8Array;
    inviter: Uint8Array;
    expiresAt: bigint;
    groupName: Uint8Array;
    inviterName: Uint8Array;
    relays: RawRelay[];
  };
  try {
    r.byte();
    const key = r.take(GROUP_KEY_BYTES).slice();
    const id = r.take(GROUP_ID_BYTES);
    const inviter = r.take(MEMBER_ID_BYTES);
    const expiry = r.take(8);
    const expiresAt = new DataView(expiry.buffer, expiry.byteOffset, 8).getBigUint64(0);
    const groupName = r.string();
    const inviterName = r.string();
    const relays = readRelays(r, 'tampered');
    fields = { key, id, inviter, expiresAt, groupName, inviterName, relays };
  } catch (e) {
    if (e instanceof InviteError) throw new InviteError('tampered', `capsule: ${e.detail}`);
    throw e;
  }
  if (r.pos !== body.length) throw new InviteError('tampered', 'bytes after the relays');
  if (!verify(fields.inviter as SigningPublicKey, signedText(keys.room, body), signature)) {
    throw new InviteError('tampered', 'the inviter’s signature does not verify');
  }
  if (fields.expiresAt > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new InviteError('tampered', 'expiry out of range');
  }
  const expiresAt = Number(fields.expiresAt);
  if (expiresAt <= now) throw new InviteError('gone', 'the capsule’s signed expiry has passed');
  if (fields.key.every((b) => b === fields.key[0])) throw new InviteError('bad-key', 'degenerate');
  let relays: string[];
  let groupName: string;
  let inviterName: string;
  try {
    groupName = decodeString(fields.groupName, 'group name');
    inviterName = decodeString(fields.inviterName, 'inviter name');
    relays = relayUrls(fields.relays);
  } catch (e) {
    if (e instanceof Truncated) throw new InviteError('tampered', 'capsule ends early');
    throw e;
  }
  return {
    groupKey: fields.key as GroupKey,
    groupId: toBase64Url(fields.id) as GroupId,
    inviterId: toBase64Url(fields.inviter) as MemberId,
    expiresAt,
    groupName,
    inviterName,
    relays,
  };
}
