// Open invitations, as the group sees them. When a member makes an invitation, their device
// writes an `invite` record: who invited (the author), when (`at`), until when, how often it
// may be opened, the capsule room and relay a withdrawal goes to, and the member ids whose keys
// the relay accepts a withdrawal from. It never holds the link's secret or the capsule key:
// the room is a one-way hash of the secret, so with it a member can ask the relay how the
// invitation stands (and, as anyone who knows the room can, spend a use of it) but can never
// open the capsule or make the link. An `invite-withdrawn` record says an invitation was
// withdrawn; it counts only when its author is one of that invitation's revokers.
// See docs/PROTOCOL.md ("invite" and "invite-withdrawn").
import type { MemberId } from '../../crypto/keys.ts';
import type { RecordKind } from '../../group/RecordKind.ts';
import { isB64, isMemberId, isTime, type Obj, type SignedRecord } from '../../group/records.ts';
import { INVITE_MAX_REVOKERS, INVITE_MAX_USES, isRelayUrl } from '../../invite/limits.ts';

export interface InviteRecord extends SignedRecord {
  readonly kind: 'invite';
  /** The capsule room: base64url of H("hearth/invite-room/v1" ‖ secret)[0..16). */
  readonly room: string;
  /** The relay that keeps the capsule (ws:// or wss://): where a withdrawal is sent. */
  readonly relay: string;
  /** When the invitation stops working (ms); at most 7 days after it was made. */
  readonly expiresAt: number;
  /** How often it may be opened: 0 for no limit, else 1..1000. */
  readonly maxUses: number;
  /** The member ids the relay accepts a withdrawal from, the author first (revokersOf). */
  readonly revokers: readonly MemberId[];
}

export interface InviteWithdrawnRecord extends SignedRecord {
  readonly kind: 'invite-withdrawn';
  /** The capsule room of the invitation withdrawn. */
  readonly room: string;
}

/** A capsule room id: 22 base64url characters (16 bytes). */
export const isInviteRoom = (v: unknown): v is string => isB64(v, 22);

function isRevokers(v: unknown, author: unknown): v is MemberId[] {
  return (
    Array.isArray(v) &&
    v.length >= 1 &&
    v.length <= INVITE_MAX_REVOKERS &&
    v.every(isMemberId) &&
    v[0] === author &&
    new Set(v).size === v.length
  );
}

export const inviteKind: RecordKind<InviteRecord> = {
  kind: 'invite',
  parse: (o: Obj) =>
    isInviteRoom(o.room) &&
    typeof o.relay === 'string' &&
    isRelayUrl(o.relay) &&
    isTime(o.expiresAt) &&
    typeof o.maxUses === 'number' &&
    Number.isSafeInteger(o.maxUses) &&
    o.maxUses >= 0 &&
    o.maxUses <= INVITE_MAX_USES &&
    isRevokers(o.revokers, o.author)
      ? (o as unknown as InviteRecord)
      : null,
  // The slot names its author, so no other member can write a version of someone's invite
  // record (one that copies the room is a record of their own, in a slot of its own).
  slot: (r) => `invite:${r.room}|${r.author}`,
  touches: () => [],
};

export const inviteWithdrawnKind: RecordKind<InviteWithdrawnRecord> = {
  kind: 'invite-withdrawn',
  parse: (o: Obj) => (isInviteRoom(o.room) ? (o as unknown as InviteWithdrawnRecord) : null),
  slot: (r) => `invite-withdrawn:${r.room}|${r.author}`,
  touches: () => [],
};
