// Whether a group's document proves that the group this device holds is the one its id names.
// The id is derived from the creator's key and a nonce (features/origin), so a valid origin
// record whose author and nonce derive the id proves who made the group. That alone would not
// stop someone who once read the group from copying its records into a room of their own, so
// the key this device syncs with must also belong to the group: it is the first key (its room
// is in the origin record), or the key of an epoch that descends from it through epoch records
// written by admins; the first admin is the origin record's author (creatorOf), so the admins
// are those of the real creator's line. See docs/PROTOCOL.md ("Group id").
import * as Y from 'yjs';
import {
  deriveEpochKeys,
  deriveRoomId,
  type GroupId,
  type GroupKey,
  type MemberId,
} from '../crypto/keys.ts';
import { membershipSlots } from '../features/membership/Membership.ts';
import { FEATURE_KINDS, featuresOf, type GroupFeatures } from '../features/registry.ts';
import { Group } from '../group/Group.ts';
import type { Verifier } from '../group/Verifier.ts';
import { MemoryStorage } from '../storage/MemoryStorage.ts';
import type { Mailbox } from '../sync/Mailbox.ts';
import { MailboxSync } from '../sync/MailboxSync.ts';

/**
 * 'proven': the document proves the id and the key. 'unproven': it does not (yet): a group
 * made before ids were derived, one whose records have not arrived, or a fake.
 */
export type GroupProof = 'proven' | 'unproven';

/**
 * Checks (signatures included) whether `group`'s document proves its id and that one of
 * `keys` is the group's key of some epoch.
 */
export async function proveGroup(
  group: Group,
  features: Pick<GroupFeatures, 'origin' | 'membership'>,
  keys: readonly GroupKey[],
): Promise<GroupProof> {
  const slots = features.origin.slots();
  if (slots.length === 0) return 'unproven';
  await group.verify([...slots, ...features.origin.vouchSlots(), ...membershipSlots(group)]);
  const rooms = new Set<string>(keys.map(deriveRoomId));
  for (const origin of features.origin.provers()) {
    if (rooms.has(origin.room)) return 'proven';
    // Later keys: the epoch chain from the origin's room, as far as each epoch was started, or
    // vouched for, by an admin of the real creator's line. Any member may start an epoch that
    // drops only members who left (or, unlinking a device, nobody), but someone copying the
    // records could add and drop members of their own making; only admin status cannot be
    // made up in a copy, and an admin's device vouches only for epochs it followed.
    const chain = features.membership.fold().chain;
    if (chain[0]?.prev !== origin.room) continue;
    const admins = features.membership.everAdmins();
    const byAdmin = (epoch: { author: string; room: string }): boolean =>
      admins.has(epoch.author as MemberId) ||
      [...features.origin.vouchers(epoch.room)].some((id) => admins.has(id));
    for (const epoch of chain) {
      if (!byAdmin(epoch)) break;
      if (rooms.has(epoch.room)) return 'proven';
    }
  }
  return 'unproven';
}

/**
 * The holding area: reads the room of `key` from its relay's mailbox, from the start, into a
 * scratch document that nothing else sees and that is never stored, and says whether that
 * document proves group `groupId` with `key`. A relay that does not answer proves nothing.
 */
export async function probeGroup(args: {
  readonly groupId: GroupId;
  readonly key: GroupKey;
  readonly mailbox: Mailbox;
  readonly verifier?: Verifier;
}): Promise<GroupProof> {
  const doc = new Y.Doc();
  const never = {
    snapshotEvery: Number.MAX_SAFE_INTEGER,
    snapshotWhenPending: Number.MAX_SAFE_INTEGER,
  };
  const sync = new MailboxSync({
    doc,
    keys: deriveEpochKeys(args.key),
    mailbox: args.mailbox,
    storage: new MemoryStorage(),
    ...never,
  });
  const group = Group.open(doc, {
    groupId: args.groupId,
    kinds: FEATURE_KINDS,
    ...(args.verifier ? { verifier: args.verifier } : {}),
  });
  try {
    await sync.pull();
    return await proveGroup(group, featuresOf(group), [args.key]);
  } catch {
    return 'unproven';
  } finally {
    await sync.destroy();
    group.destroy();
    doc.destroy();
  }
}
