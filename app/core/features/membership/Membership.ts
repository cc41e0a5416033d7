// Who runs the group and who is still in it: a pure fold over role, left and epoch records,
// the same on every device that holds the same records, whatever order they arrived in.
// - Admins: the creator is the first; role records count in (at, author, sig) order, each
//   only if its author is an admin at that point, and the last admin cannot be unmade.
// - Epochs: records of epoch n compete; every valid candidate's removals take effect (two
//   concurrent removals both count); the winner is the candidate whose author is not itself
//   removed, lowest (author, sig) first. A member left out of the winner's keys is removed.
// - Moderation: an admin hides an item for everyone; its author and admins can still open it.
import nacl from 'tweetnacl';
import { boxTo, openBoxed } from '../../crypto/box.ts';
import { fromBase64Url, toBase64Url } from '../../crypto/bytes.ts';
import {
  type BoxSecretKey,
  deriveRoomId,
  type GroupKey,
  generateGroupKey,
  type MemberId,
} from '../../crypto/keys.ts';
import type { Group, Me, RecordStatus } from '../../group/Group.ts';
import { GroupError } from '../../group/GroupError.ts';
import { readName } from '../../group/members.ts';
import type { SignedRecord } from '../../group/records.ts';
import { Devices } from '../devices/Devices.ts';
import { deviceKeyName } from '../devices/records.ts';
import { creatorOf } from '../origin/Origin.ts';
import {
  type EpochRecord,
  type HideRecord,
  type LeftRecord,
  REASON_MAX_CHARS,
  type RoleRecord,
} from './records.ts';

// This feature's own refusal codes (see FeatureErrorCodes): no edit to the kernel.
declare module '../../group/GroupError.ts' {
  interface FeatureErrorCodes {
    'not-admin': true;
    'last-admin': true;
    removed: true;
  }
}

export interface Departure {
  readonly how: 'removed' | 'left';
  /** Who removed them (absent when they left). */
  readonly by?: MemberId;
  readonly at: number;
  readonly reason?: string;
}

export interface MembershipFold {
  /** Admins now: those the role records make admins, minus departed members. */
  readonly admins: ReadonlySet<MemberId>;
  readonly departed: ReadonlyMap<MemberId, Departure>;
  /** The winning epoch record of each epoch, in order (chain[i].n === i + 1). */
  readonly chain: readonly EpochRecord[];
  /** Departed members who may still hold the newest key: a new epoch must leave them out. */
  readonly pending: readonly MemberId[];
}

const byAtAuthorSig = (a: SignedRecord, b: SignedRecord): number =>
  a.at - b.at || cmp(a.author, b.author) || cmp(a.sig, b.sig);
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export class Membership {
  constructor(readonly group: Group) {}

  /** Valid records of `kind`, every version of every slot. */
  #valid<R extends SignedRecord>(kind: string): R[] {
    const out: R[] = [];
    for (const slot of this.group.slotsOf(kind)) {
      for (const r of this.group.versions(slot)) {
        if (r.kind === kind && this.group.status(r) === 'valid') out.push(r as R);
      }
    }
    return out;
  }

  /**
   * Everyone the role records make an admin at some point, from the creator on, whether or not
   * they left or were removed since (hearth/groupProof.ts counts epochs only from them).
   */
  everAdmins(): ReadonlySet<MemberId> {
    const out = new Set<MemberId>();
    this.#roleAdmins(out);
    return out;
  }

  /** Admins by the role records alone (departures not applied). */
  #roleAdmins(ever?: Set<MemberId>): Set<MemberId> {
    const creator = creatorOf(this.group);
    const admins = new Set<MemberId>(creator ? [creator] : []);
    if (creator) ever?.add(creator);
    for (const r of this.#valid<RoleRecord>('role').sort(byAtAuthorSig)) {
      if (!admins.has(r.author)) continue;
      if (r.admin) {
        if (this.group.isMember(r.member)) {
          admins.add(r.member);
          ever?.add(r.member);
        }
      } else if (admins.has(r.member) && admins.size > 1) {
        admins.delete(r.member);
      }
    }
    return admins;
  }

  /** Role admins still in the group; when none is left, the longest-standing member. */
  #finalAdmins(roleAdmins: ReadonlySet<MemberId>, departed: ReadonlyMap<string, unknown>) {
    const admins = new Set([...roleAdmins].filter((id) => !departed.has(id)));
    if (admins.size > 0) return admins;
    const stay = this.group
      .members()
      .filter((m) => !departed.has(m.id))
      .sort((a, b) => a.joinedAt - b.joinedAt || cmp(a.id, b.id));
    return new Set(stay[0] ? [stay[0].id] : []);
  }

  /** The whole fold; cheap enough to compute on each read (a few records per member). */
  fold(): MembershipFold {
    const roleAdmins = this.#roleAdmins();
    const departed = new Map<MemberId, Departure>();
    const leavers = new Set<MemberId>();
    for (const l of this.#valid<LeftRecord>('left')) {
      if (!departed.has(l.author)) departed.set(l.author, { how: 'left', at: l.at });
      leavers.add(l.author);
    }
    const byN = new Map<number, EpochRecord[]>();
    for (const r of this.#valid<EpochRecord>('epoch')) {
      const list = byN.get(r.n) ?? [];
      list.push(r);
      byN.set(r.n, list);
    }
    const chain: EpochRecord[] = [];
    let stalled = false;
    for (let n = 1; byN.has(n); n++) {
      const prev = chain[n - 2]?.room;
      const admins = this.#finalAdmins(roleAdmins, departed);
      const before = new Set(departed.keys());
      const cands = byN
        .get(n)!
        .filter(
          (r) =>
            (prev === undefined || r.prev === prev) &&
            !before.has(r.author) &&
            (roleAdmins.has(r.author) ||
              admins.has(r.author) ||
              r.removed.every((id) => leavers.has(id))),
        );
      if (cands.length === 0) break;
      for (const c of cands) {
        for (const id of c.removed) {
          if (departed.has(id) || id === c.author) continue;
          departed.set(id, {
            how: leavers.has(id) ? 'left' : 'removed',
            by: c.author,
            at: c.at,
            ...(c.reason ? { reason: readReason(c.reason) } : {}),
          });
        }
      }
      const eligible = cands.filter((c) => !departed.has(c.author));
      if (eligible.length === 0) {
        stalled = true;
        break;
      }
      chain.push(eligible.sort((a, b) => cmp(a.author, b.author) || cmp(a.sig, b.sig))[0]!);
    }
    const newest = chain[chain.length - 1];
    const pending = [...departed.keys()].filter(
      (id) => stalled || !newest || sealedToMember(newest, id),
    );
    return { admins: this.#finalAdmins(roleAdmins, departed), departed, chain, pending };
  }

  admins(): ReadonlySet<MemberId> {
    return this.fold().admins;
  }

  isAdmin(id: string): boolean {
    return this.fold().admins.has(id as MemberId);
  }

  /** Why a member is no longer in the group, or undefined while they are. */
  departure(id: string): Departure | undefined {
    return this.fold().departed.get(id as MemberId);
  }

  /** Members still in the group. */
  remaining(): MemberId[] {
    const { departed } = this.fold();
    return this.group
      .members()
      .map((m) => m.id)
      .filter((id) => !departed.has(id));
  }

  /** Makes a member an admin or takes the role away. Only admins may; the last one stays. */
  setAdmin(me: Me, member: string, admin: boolean): void {
    this.group.requireMember(me);
    const fold = this.fold();
    if (!fold.admins.has(me.id)) {
      throw new GroupError('not-admin', 'Only an admin can change who is an admin.');
    }
    if (!this.group.isMember(member) || fold.departed.has(member as MemberId)) {
      throw new GroupError('not-found', 'That person is not a member of this group.');
    }
    if (!admin && fold.admins.has(member as MemberId) && fold.admins.size === 1) {
      throw new GroupError(
        'last-admin',
        'The group needs at least one admin: make someone else an admin first.',
      );
    }
    this.group.write(me, 'role', { member, admin });
  }

  // --- moderation ------------------------------------------------------------------------------

  /** The admin who hid an item for everyone, or undefined when it is shown. */
  hiddenBy(itemId: string): MemberId | undefined {
    const { admins } = this.fold();
    for (const r of this.group.versions(`hide:${itemId}`)) {
      if (r.kind !== 'hide' || this.group.status(r) !== 'valid' || !admins.has(r.author)) continue;
      return (r as HideRecord).hidden ? r.author : undefined;
    }
    return undefined;
  }

  /** The kernel slot of an item's hide records, for `group.verify`. */
  hideSlot(itemId: string): string {
    return `hide:${itemId}`;
  }

  /** The standing of the newest hide record of an item ('unknown' when there is none). */
  hideStatus(itemId: string): RecordStatus {
    return this.group.slotStatus(this.hideSlot(itemId));
  }

  /** Whether `viewer` may open a hidden item: its author and admins may. */
  mayOpenHidden(viewer: string | undefined, itemId: string): boolean {
    if (!viewer) return false;
    return this.group.head(itemId)?.author === viewer || this.isAdmin(viewer);
  }

  /** Hides an item (a message, a post) for everyone, or shows it again. Admins only. */
  hide(me: Me, itemId: string, hidden: boolean): void {
    this.group.requireMember(me);
    if (!this.isAdmin(me.id)) {
      throw new GroupError('not-admin', 'Only an admin can hide messages for everyone.');
    }
    if (!this.group.head(itemId)) {
      throw new GroupError('not-found', 'That message is not in this group.');
    }
    this.group.write(me, 'hide', { itemId, hidden });
  }
}

export function readReason(raw: string): string {
  return readName(raw.slice(0, REASON_MAX_CHARS * 2), '', REASON_MAX_CHARS);
}

/** Every slot the fold reads, for `group.verify` before acting on it. */
export function membershipSlots(group: Group): string[] {
  const out: string[] = ['group'];
  for (const kind of ['role', 'left', 'epoch', 'member', 'device']) {
    out.push(...group.slotsOf(kind));
  }
  return out;
}

/** Writes that `me` leaves the group. */
export function writeLeave(group: Group, me: Me): void {
  group.requireMember(me);
  group.write(me, 'left', { left: true });
}

/**
 * Starts epoch `n` after the epoch whose room is `prev`: a fresh key K′ sealed to every member
 * still in the group, leaving out `removed`. Returns K′. Admins may remove anyone; any
 * member may start an epoch that only leaves out members who left.
 */
export function writeEpoch(
  group: Group,
  me: Me,
  args: { prev: string; removed: readonly MemberId[]; reason?: string },
): { key: GroupKey; record: EpochRecord } {
  group.requireMember(me);
  const m = new Membership(group);
  const fold = m.fold();
  if (fold.departed.has(me.id) || args.removed.includes(me.id)) {
    throw new GroupError('removed', 'You are no longer a member of this group.');
  }
  const onlyLeavers = args.removed.every((id) => fold.departed.get(id)?.how === 'left');
  if (!fold.admins.has(me.id) && !onlyLeavers) {
    throw new GroupError('not-admin', 'Only an admin can remove a member.');
  }
  const reason = args.reason === undefined ? '' : readReason(args.reason);
  const out = new Set<string>([...args.removed, ...fold.departed.keys()]);
  const key = generateGroupKey();
  const eph = nacl.box.keyPair();
  const keys: Record<string, string> = {};
  const devices = new Devices(group);
  for (const member of group.members()) {
    if (out.has(member.id)) continue;
    // A member with linked devices gets the key once per device still linked (features/devices).
    for (const target of devices.sealTargets(member.id, member.boxKey)) {
      keys[target.name] = boxTo(key, target.boxKey, eph.secretKey);
    }
  }
  const record = group.write<EpochRecord>(me, 'epoch', {
    n: fold.chain.length + 1,
    prev: args.prev,
    room: deriveRoomId(key),
    epk: toBase64Url(eph.publicKey),
    keys,
    removed: [...args.removed],
    ...(reason ? { reason } : {}),
  });
  return { key, record };
}

/** Whether an epoch record seals its key to `member` or to any device of theirs. */
export function sealedToMember(record: EpochRecord, member: string): boolean {
  return (
    Object.hasOwn(record.keys, member) ||
    Object.keys(record.keys).some((name) => name.startsWith(`${member}.`))
  );
}

type BoxHolder = { readonly box: { readonly secretKey: BoxSecretKey } };

/**
 * Opens the key an epoch record sealed to this member (to this device, when the member has
 * linked devices), or undefined (not theirs, damaged).
 */
export function openEpochKey(
  record: EpochRecord,
  me: BoxHolder & { readonly id: MemberId; readonly device?: BoxHolder & { readonly id: string } },
): GroupKey | undefined {
  const device = me.device;
  const own = device ? record.keys[deviceKeyName(me.id, device.id)] : undefined;
  if (own && device) return openSealedKey(record, own, device.box.secretKey);
  const sealed = record.keys[me.id];
  return sealed ? openSealedKey(record, sealed, me.box.secretKey) : undefined;
}

function openSealedKey(
  record: EpochRecord,
  sealed: string,
  secretKey: BoxSecretKey,
): GroupKey | undefined {
  let epk: Uint8Array;
  try {
    epk = fromBase64Url(record.epk);
  } catch {
    return undefined;
  }
  const key = openBoxed(sealed, epk, secretKey);
  if (key?.length !== 32 || deriveRoomId(key as GroupKey) !== record.room) return undefined;
  return key as GroupKey;
}
