// Who may withdraw an invitation, in one place: the inviter, the group's creator and the
// group's admins when the invitation was made, at most four keys. The inviter's device uses it
// to name the keys the relay will accept a withdrawal from; every member's device uses it on
// the group's invite records to decide who gets a Withdraw button.
import type { MemberId } from '../crypto/keys.ts';
import { INVITE_MAX_REVOKERS } from './inviteWire.ts';

/**
 * What decides who may withdraw an invitation: its inviter, the group's creator and the
 * group's admins when the invitation was made (the role check plugs in through `admins`).
 */
export interface RevokerContext {
  readonly inviterId: MemberId;
  readonly creatorId: MemberId | undefined;
  readonly admins?: readonly MemberId[];
}

/**
 * The member ids whose keys the relay accepts a withdrawal from, inviter first (it signs the
 * create request), at most four.
 */
export function revokersOf(ctx: RevokerContext): MemberId[] {
  const ids = [ctx.inviterId, ctx.creatorId, ...(ctx.admins ?? [])].filter(
    (id): id is MemberId => id !== undefined,
  );
  return [...new Set(ids)].slice(0, INVITE_MAX_REVOKERS);
}

export function mayRevoke(ctx: RevokerContext, memberId: MemberId): boolean {
  return revokersOf(ctx).includes(memberId);
}
