// Where a group's id comes from. A new group's id is derived from its creator's signing key
// and a random nonce, and the creator's first records include an `origin` record carrying that
// nonce and the room of the group's first key. A device can then tell a group whose document
// proves its id (a valid origin record by the key the id names) from one that does not: a
// fake invitation can name a real group's id, but nobody can make a record that proves it
// without the creator's secret key. See docs/PROTOCOL.md ("Group id" and "origin").
import nacl from 'tweetnacl';
import { concatBytes, fromBase64Url, toBase64Url, utf8 } from '../../crypto/bytes.ts';
import { type GroupId, type MemberId, signingKeyOfMember } from '../../crypto/keys.ts';
import type { RecordKind } from '../../group/RecordKind.ts';
import { isB64, type Obj, type SignedRecord } from '../../group/records.ts';

export const GROUP_ID_LABEL = 'hearth/group-id/v1';
export const ORIGIN_NONCE_BYTES = 16;

export interface OriginRecord extends SignedRecord {
  readonly kind: 'origin';
  /** base64url of the 16-byte nonce the group id was derived from. */
  readonly nonce: string;
  /** Room id of the group's first key (the room every later epoch descends from). */
  readonly room: string;
}

/** base64url(SHA-512("hearth/group-id/v1" ‖ creator's signing public key ‖ nonce)[0..16)). */
export function groupIdFor(creator: MemberId, nonce: Uint8Array): GroupId {
  if (nonce.length !== ORIGIN_NONCE_BYTES) throw new RangeError('nonce must be 16 bytes');
  const h = nacl.hash(concatBytes(utf8(GROUP_ID_LABEL), signingKeyOfMember(creator), nonce));
  return toBase64Url(h.subarray(0, 16)) as GroupId;
}

/** A new group id for `creator`, with the nonce its origin record will carry. */
export function newGroupId(creator: MemberId): { groupId: GroupId; nonce: Uint8Array } {
  const nonce = nacl.randomBytes(ORIGIN_NONCE_BYTES);
  return { groupId: groupIdFor(creator, nonce), nonce };
}

/** Whether an origin record's author and nonce derive `groupId` (signature not checked here). */
export function originDerives(record: OriginRecord, groupId: string): boolean {
  try {
    return groupIdFor(record.author, fromBase64Url(record.nonce)) === groupId;
  } catch {
    return false;
  }
}

export const originSlot = (author: MemberId | string): string => `origin:${author}`;

export const originKind: RecordKind<OriginRecord> = {
  kind: 'origin',
  parse: (o: Obj) =>
    isB64(o.nonce, 22) && isB64(o.room, 22) ? (o as unknown as OriginRecord) : null,
  // The author's own slot: nobody else can write a version of it.
  slot: (r) => originSlot(r.author),
  touches: () => [],
};

/**
 * An admin's word that an epoch a member (not an admin) started belongs to the group: written
 * by an admin's device once it follows that epoch (hearth/EpochFollower.ts). A copy of the
 * group's records in a room of someone else's making has no such record for its room, since
 * admins' devices never enter it (hearth/groupProof.ts).
 */
export interface VouchRecord extends SignedRecord {
  readonly kind: 'epoch-vouch';
  /** Room id of the epoch vouched for. */
  readonly room: string;
}

export const vouchSlot = (room: string, author: MemberId | string): string =>
  `epoch-vouch:${room}|${author}`;

export const vouchKind: RecordKind<VouchRecord> = {
  kind: 'epoch-vouch',
  parse: (o: Obj) => (isB64(o.room, 22) ? (o as unknown as VouchRecord) : null),
  // One slot per room and author: nobody else can write a version of it.
  slot: (r) => vouchSlot(r.room, r.author),
  touches: () => [],
};
