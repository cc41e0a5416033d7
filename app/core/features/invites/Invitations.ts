// The group's open invitations, from its signed records: each member's device can list every
// invitation a member made that has not expired or been withdrawn, and tell who may withdraw
// it (the keys the relay was told to accept, through the one rule in invite/revokers.ts).
// Talking to the relay is the Invites service's job (app/core/invite/Invites.ts); this facade
// only reads and writes records.
import type { MemberId } from '../../crypto/keys.ts';
import type { Group, Me, RecordStatus } from '../../group/Group.ts';
import { GroupError } from '../../group/GroupError.ts';
import { mayRevoke } from '../../invite/revokers.ts';
import type { InviteRecord, InviteWithdrawnRecord } from './records.ts';

/** An invitation as every member sees it. Nothing here opens it. */
export interface OpenInvitation {
  readonly room: string;
  readonly relay: string;
  readonly inviter: MemberId;
  /** The inviter's name as the group knows it, or null without a member record. */
  readonly inviterName: string | null;
  /** When it was made, as this device shows the inviter's claim (never in the future). */
  readonly createdAt: number;
  readonly expiresAt: number;
  /** 0: no limit. */
  readonly maxUses: number;
  readonly revokers: readonly MemberId[];
  readonly status: RecordStatus;
}

/** What the inviter's device says about an invitation it just made. */
export interface InvitationFields {
  readonly room: string;
  readonly relay: string;
  readonly expiresAt: number;
  readonly maxUses: number;
  readonly revokers: readonly MemberId[];
}

export class Invitations {
  constructor(readonly group: Group) {}

  /** Every slot holding invite or withdrawal records, for `group.verify`. */
  slots(): string[] {
    return [...this.group.slotsOf('invite'), ...this.group.slotsOf('invite-withdrawn')];
  }

  /** Tells the group about an invitation this member made (never its secret). */
  announce(me: Me, fields: InvitationFields): InviteRecord {
    this.group.requireMember(me);
    if (fields.revokers[0] !== me.id) {
      throw new GroupError('bad-record', 'This could not be saved: the inviter comes first.');
    }
    return this.group.write<InviteRecord>(me, 'invite', {
      room: fields.room,
      relay: fields.relay,
      expiresAt: fields.expiresAt,
      maxUses: fields.maxUses,
      revokers: [...fields.revokers],
    });
  }

  /**
   * Tells the group that an invitation was withdrawn. Only one of its revokers may say so;
   * the caller has already withdrawn it on its relay.
   */
  markWithdrawn(me: Me, room: string): void {
    this.group.requireMember(me);
    const invites = this.#records(room);
    if (invites.length > 0 && !invites.some((r) => this.mayWithdraw(r, me.id))) {
      throw new GroupError(
        'not-admin',
        'Only its inviter, the creator or an admin may withdraw this invitation.',
      );
    }
    this.group.write(me, 'invite-withdrawn', { room });
  }

  /** Whether `id` may withdraw the invitation: one of the keys its relay accepts. */
  mayWithdraw(invite: Pick<InviteRecord, 'author' | 'revokers'>, id: MemberId): boolean {
    // The record names the keys the inviter gave the relay (revokersOf at that moment: the
    // inviter, the creator, the admins then), so the same rule over them is the relay's answer.
    return mayRevoke(
      { inviterId: invite.author, creatorId: undefined, admins: invite.revokers },
      id,
    );
  }

  /** Valid invite records of one room (or of every room), checked and by members. */
  #records(room?: string): InviteRecord[] {
    const out: InviteRecord[] = [];
    for (const slot of this.group.slotsOf('invite')) {
      if (room !== undefined && !slot.startsWith(`invite:${room}|`)) continue;
      const r = this.group.head(slot);
      if (r?.kind === 'invite' && this.group.status(r) === 'valid') out.push(r as InviteRecord);
    }
    return out;
  }

  /** Who withdrew the invitation (one of its revokers), or undefined while nobody did. */
  withdrawnBy(invite: InviteRecord): MemberId | undefined {
    let by: InviteWithdrawnRecord | undefined;
    for (const slot of this.group.slotsOf('invite-withdrawn')) {
      if (!slot.startsWith(`invite-withdrawn:${invite.room}|`)) continue;
      const r = this.group.head(slot);
      if (r?.kind !== 'invite-withdrawn' || this.group.status(r) !== 'valid') continue;
      if (!this.mayWithdraw(invite, r.author)) continue;
      if (!by || r.at < by.at) by = r as InviteWithdrawnRecord;
    }
    return by?.author;
  }

  /**
   * The group's invitations that still work as far as its records say: checked, not expired
   * at `now`, not withdrawn by one of their revokers. Newest first. Whether the relay still
   * keeps each (used up, say) is the Invites service's to ask.
   */
  open(now: number = this.group.now()): OpenInvitation[] {
    return this.#records()
      .filter((r) => r.expiresAt > now && this.withdrawnBy(r) === undefined)
      .map((r) => ({
        room: r.room,
        relay: r.relay,
        inviter: r.author,
        inviterName: this.group.memberName(r.author),
        createdAt: this.group.time(r),
        expiresAt: r.expiresAt,
        maxUses: r.maxUses,
        revokers: r.revokers,
        status: this.group.status(r),
      }))
      .sort((a, b) => b.createdAt - a.createdAt || (a.room < b.room ? -1 : 1));
  }

  /** The invitation records of one room (one per member who claims it; normally one). */
  byRoom(room: string): InviteRecord[] {
    return this.#records(room);
  }
}
