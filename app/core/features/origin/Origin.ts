// The origin records of one group: which of them prove the group's id. Whether the key this
// device holds belongs to that group as well needs the membership feature's epoch chain, so
// that part is decided in hearth/groupProof.ts, which may look at both.
import { toBase64Url } from '../../crypto/bytes.ts';
import type { MemberId } from '../../crypto/keys.ts';
import type { Group, Me } from '../../group/Group.ts';
import { type OriginRecord, originDerives } from './records.ts';

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
