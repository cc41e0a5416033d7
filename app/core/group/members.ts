// Members and the group's name are the kernel's own records. A member record is signed by
// the member it describes (its slot is theirs alone); the group's name and description are
// a shared slot any member may write, and the newest valid version wins everywhere.
import { fromBase64Url } from '../crypto/bytes.ts';
import type { BoxPublicKey, GroupId, MemberId } from '../crypto/keys.ts';
import { shortFingerprint } from '../identity/fingerprint.ts';
import { cleanName, NAME_MAX_CHARS } from '../text/displayName.ts';
import type { RecordKind } from './RecordKind.ts';
import {
  isB64,
  isMemberId,
  isText,
  isTime,
  type Obj,
  optional,
  type SignedRecord,
} from './records.ts';

export const ABOUT_MAX_CHARS = 2_000;
/** Stored names may be dirty (a hostile writer's); they are cleaned again on every read. */
const RAW_NAME_MAX = NAME_MAX_CHARS * 4;

export interface MemberRecord extends SignedRecord {
  readonly kind: 'member';
  readonly name: string;
  /** base64url of the member's x25519 box public key. */
  readonly boxKey: string;
  readonly joinedAt: number;
  readonly invitedBy?: MemberId;
}

export interface GroupInfoRecord extends SignedRecord {
  readonly kind: 'group';
  readonly name: string;
  readonly about: string;
}

export const memberSlot = (id: MemberId | string): string => `member:${id}`;
export const INFO_SLOT = 'group';

export const memberKind: RecordKind<MemberRecord> = {
  kind: 'member',
  parse: (o: Obj) =>
    isText(o.name, RAW_NAME_MAX) &&
    isB64(o.boxKey, 43) &&
    isTime(o.joinedAt) &&
    optional(o.invitedBy, isMemberId)
      ? (o as unknown as MemberRecord)
      : null,
  slot: (r) => memberSlot(r.author),
  touches: () => [],
};

export const groupInfoKind: RecordKind<GroupInfoRecord> = {
  kind: 'group',
  parse: (o: Obj) =>
    isText(o.name, RAW_NAME_MAX) && isText(o.about, ABOUT_MAX_CHARS * 2)
      ? (o as unknown as GroupInfoRecord)
      : null,
  slot: () => INFO_SLOT,
  touches: () => [],
};

/** A name or title as stored by anyone, made safe to show: cleaned, cut to length, never empty. */
export function readName(raw: string, fallback: string, max: number = NAME_MAX_CHARS): string {
  const cleaned = cleanName(raw, Number.MAX_SAFE_INTEGER);
  if (cleaned === null) return fallback;
  const chars = [...cleaned];
  return chars.length <= max ? cleaned : chars.slice(0, max).join('').trim();
}

export interface GroupInfo {
  readonly groupId: GroupId;
  readonly name: string;
  readonly about: string;
  readonly createdAt: number | undefined;
  readonly createdBy: MemberId | undefined;
}

export interface MemberView {
  readonly id: MemberId;
  readonly name: string;
  /** Three groups of four digits from the member's key (see identity/fingerprint.ts). */
  readonly fingerprint: string;
  /**
   * What to show next to their words: the name, followed by the first fingerprint group
   * when another member has the same name ("Sam · 0412"), so two Sams are told apart.
   */
  readonly label: string;
  readonly boxKey: BoxPublicKey;
  readonly joinedAt: number;
  readonly invitedBy?: MemberId;
}

export function memberView(m: MemberRecord, joinedAt: number): MemberView {
  const name = readName(m.name, 'Unnamed member');
  return {
    id: m.author,
    name,
    fingerprint: shortFingerprint(m.author),
    label: name,
    boxKey: fromBase64Url(m.boxKey) as BoxPublicKey,
    joinedAt,
    ...(m.invitedBy !== undefined && m.invitedBy !== m.author ? { invitedBy: m.invitedBy } : {}),
  };
}

/** Gives members who share a name a label that tells them apart. */
export function labelled(members: MemberView[]): MemberView[] {
  const count = new Map<string, number>();
  for (const m of members)
    count.set(m.name.toLowerCase(), (count.get(m.name.toLowerCase()) ?? 0) + 1);
  return members.map((m) =>
    (count.get(m.name.toLowerCase()) ?? 0) > 1
      ? { ...m, label: `${m.name} · ${m.fingerprint.slice(0, 4)}` }
      : m,
  );
}
