// The origin records of one group: which of them prove the group's id. Whether the key this
// device holds belongs to that group as well needs the membership feature's epoch chain, so
// that part is decided in hearth/groupProof.ts, which may look at both.
import { toBase64Url } from '../../crypto/bytes.ts';
import type { MemberId } from '../../crypto/keys.ts';
import type { Group, Me } from '../../group/Group.ts';
import { type OriginRecord, originDerives, type VouchRecord, vouchSlot } from './records.ts';

export class Origin {
  constructor(private readonly group: Group) {}

  /** The slots of every origin record in the document (to check them: Group.verify). */
  slots(): string[] {
    return [...this.group.slotsOf('origin')];
  }

  /**
   * The group's creator, when its id derives from their key: the author of any origin record
   * whose author and nonce give the id. The hash binds the author, so this needs no signature
   * check: a forged record can only name the real creator. Undefined for a group made before
   * origin records, or whose origin record has not arrived.
   */
  creator(): MemberId | undefined {
    for (const slot of this.slots()) {
      for (const r of this.group.versions(slot)) {
        if (r.kind === 'origin' && originDerives(r as OriginRecord, this.group.id)) {
          return r.author as MemberId;
        }
      }
    }
    return undefined;
  }

  /** The slots of every vouch record (to check them: Group.verify). */
  vouchSlots(): string[] {
    return [...this.group.slotsOf('epoch-vouch')];
  }

  /** Who vouched, in a record found valid, for the epoch whose room is `room`. */
  vouchers(room: string): Set<MemberId> {
    const out = new Set<MemberId>();
    for (const slot of this.vouchSlots()) {
      if (!slot.startsWith(`epoch-vouch:${room}|`)) continue;
      for (const r of this.group.versions(slot)) {
        if (r.kind === 'epoch-vouch' && this.group.status(r) === 'valid') {
          out.add(r.author as MemberId);
        }
      }
    }
    return out;
  }

  /**
   * The origin records found valid (checked signature, author a member) whose author and
   * nonce derive this group's id, best first. Records not checked yet do not count.
   */
  provers(): OriginRecord[] {
    const out: OriginRecord[] = [];
    for (const slot of this.slots()) {
      for (const r of this.group.versions(slot)) {
        if (r.kind !== 'origin' || this.group.status(r) !== 'valid') continue;
        if (originDerives(r as OriginRecord, this.group.id)) out.push(r as OriginRecord);
      }
    }
    return out;
  }
}

/**
 * Who made the group: the origin record's author where the id proves it; otherwise (a group
 * made before origin records) the author of the first name record, which a member's modified
 * app can claim by backdating one (docs/SECURITY.md). Roles, the members screen and invites
 * all ask this, never `info().createdBy` alone.
 */
export function creatorOf(group: Group): MemberId | undefined {
  return new Origin(group).creator() ?? group.info().createdBy;
}

/**
 * Writes the creator's origin record: the nonce the group id was derived from and the room of
 * the group's first key. Only the creator's own record proves the id (records.ts).
 */
export function writeOrigin(group: Group, me: Me, nonce: Uint8Array, room: string): OriginRecord {
  return group.write<OriginRecord>(me, 'origin', { nonce: toBase64Url(nonce), room });
}

/** Signs `me`'s vouch for the epoch whose room is `room` (records.ts, VouchRecord). */
export function writeVouch(group: Group, me: Me, room: string): VouchRecord {
  return group.write<VouchRecord>(me, 'epoch-vouch', { room });
}

/**
 * On an admin's device that has followed the epoch chain up to `currentRoom`: vouches for each
 * epoch on the way that no admin started and this admin has not vouched for yet, so that its
 * key proves the group (hearth/groupProof.ts). Nothing for anyone else.
 */
export function vouchFollowed(
  group: Group,
  me: Me,
  chain: readonly { readonly author: string; readonly room: string }[],
  everAdmins: ReadonlySet<string>,
  currentRoom: string,
): void {
  if (!everAdmins.has(me.id) || !chain.some((e) => e.room === currentRoom)) return;
  const mine = group.slotsOf('epoch-vouch');
  for (const e of chain) {
    if (!everAdmins.has(e.author) && !mine.has(vouchSlot(e.room, me.id))) {
      writeVouch(group, me, e.room);
    }
    if (e.room === currentRoom) return;
  }
}
