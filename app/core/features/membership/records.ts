// Who runs the group and who is still in it, as signed records: roles (admins make and
// unmake admins), leaving, and key epochs. An epoch record starts a new group key K′ for
// everyone who stays: K′ is sealed to each remaining member's box key, and the record names
// the members it leaves out. See docs/PROTOCOL.md ("Roles and epochs").

import type { MemberId } from '../../crypto/keys.ts';
import type { RecordKind } from '../../group/RecordKind.ts';
import {
  asObject,
  isB64,
  isMemberId,
  isText,
  type Obj,
  type SignedRecord,
} from '../../group/records.ts';

/** Sealed keys one epoch record may carry (one per remaining member). */
export const MAX_EPOCH_MEMBERS = 500;
/** Sealed keys one epoch record may carry: a few devices per member. */
export const MAX_EPOCH_KEYS = 4 * MAX_EPOCH_MEMBERS;
export const REASON_MAX_CHARS = 500;
/** base64url of nonce (24) + secretbox of a 32-byte key (48). */
export const SEALED_KEY_CHARS = 96;

export interface RoleRecord extends SignedRecord {
  readonly kind: 'role';
  readonly member: MemberId;
  readonly admin: boolean;
}

export interface LeftRecord extends SignedRecord {
  readonly kind: 'left';
}

export interface EpochRecord extends SignedRecord {
  readonly kind: 'epoch';
  /** 1 for the first epoch after the group's first key, then 2, … */
  readonly n: number;
  /** Room id of the epoch this one follows. */
  readonly prev: string;
  /** Room id of this epoch's key (lets a reader check the key it opens). */
  readonly room: string;
  /** Ephemeral x25519 public key the keys are sealed with. */
  readonly epk: string;
  /**
   * Member id -> base64url(nonce ‖ nacl.box(K′)) for each member who stays; for a member with
   * linked devices, `<member id>.<device id>` -> the same, sealed to each device still linked.
   */
  readonly keys: Readonly<Record<string, string>>;
  /** Members this epoch leaves out (removed by an admin, or who left). */
  readonly removed: readonly MemberId[];
  /** Why, in the remover's words (optional). */
  readonly reason?: string;
}

export const roleKind: RecordKind<RoleRecord> = {
  kind: 'role',
  parse: (o: Obj) =>
    isMemberId(o.member) && typeof o.admin === 'boolean' ? (o as unknown as RoleRecord) : null,
  slot: (r) => `role:${r.member}`,
  touches: () => [],
};

export const leftKind: RecordKind<LeftRecord> = {
  kind: 'left',
  parse: (o: Obj) => (o.left === true ? (o as unknown as LeftRecord) : null),
  slot: (r) => `left:${r.author}`,
  touches: () => [],
};

const isRoom = (v: unknown): v is string => isB64(v, 22);

/** A member id, or `<member id>.<device id>` for one of a member's linked devices. */
const isKeyName = (name: string): boolean => {
  const [member, device, ...rest] = name.split('.');
  return rest.length === 0 && isMemberId(member) && (device === undefined || isB64(device, 16));
};

function isKeyMap(v: unknown): boolean {
  const o = asObject(v, MAX_EPOCH_KEYS);
  return (
    o !== null && Object.entries(o).every(([id, k]) => isKeyName(id) && isB64(k, SEALED_KEY_CHARS))
  );
}

export const epochKind: RecordKind<EpochRecord> = {
  kind: 'epoch',
  parse: (o: Obj) =>
    typeof o.n === 'number' &&
    Number.isSafeInteger(o.n) &&
    o.n >= 1 &&
    isRoom(o.prev) &&
    isRoom(o.room) &&
    o.prev !== o.room &&
    isB64(o.epk, 43) &&
    isKeyMap(o.keys) &&
    Array.isArray(o.removed) &&
    o.removed.length <= MAX_EPOCH_MEMBERS &&
    o.removed.every(isMemberId) &&
    (o.reason === undefined || isText(o.reason, REASON_MAX_CHARS * 2))
      ? (o as unknown as EpochRecord)
      : null,
  // Every epoch record is its own slot: competing records of one epoch are ordered by the
  // membership fold (Membership.ts), not by the kernel's version order.
  slot: (r) => `epoch:${r.room}`,
  touches: () => [],
};

export interface HideRecord extends SignedRecord {
  readonly kind: 'hide';
  readonly itemId: string;
  readonly hidden: boolean;
}

export const hideKind: RecordKind<HideRecord> = {
  kind: 'hide',
  parse: (o: Obj) =>
    isB64(o.itemId, 16) && typeof o.hidden === 'boolean' ? (o as unknown as HideRecord) : null,
  slot: (r) => `hide:${r.itemId}`,
  touches: (r) => [r.itemId],
};
