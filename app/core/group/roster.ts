// Who is in the group and what it is called: the kernel's own two kinds, read and written
// through the kernel's public record API like any feature, so Group.ts keeps only the fold.
import { toBase64Url } from '../crypto/bytes.ts';
import type { MemberId } from '../crypto/keys.ts';
import { cleanName, countChars } from '../text/displayName.ts';
import type { Group, Me } from './Group.ts';
import { GroupError } from './GroupError.ts';
import {
  ABOUT_MAX_CHARS,
  type GroupInfo,
  type GroupInfoRecord,
  INFO_SLOT,
  labelled,
  type MemberRecord,
  type MemberView,
  memberSlot,
  memberView,
  readName,
} from './members.ts';
import type { SignedRecord } from './records.ts';

export function checkName(input: string, what: string): string {
  const name = cleanName(input);
  if (name === null) throw new GroupError('bad-name', `${what} needs 1 to 100 characters.`);
  return name;
}

export function checkAbout(about: string): string {
  const text = about.trim();
  if (countChars(text) > ABOUT_MAX_CHARS) {
    throw new GroupError(
      'too-long',
      `The description is limited to ${ABOUT_MAX_CHARS} characters.`,
    );
  }
  return text;
}

/** The group's name and description from its newest valid version; creation from its first. */
export function groupInfo(group: Group): GroupInfo {
  const head = group.head<GroupInfoRecord>(INFO_SLOT);
  let first: SignedRecord | undefined;
  for (const r of group.versions(INFO_SLOT)) {
    const st = group.status(r);
    if (st !== 'valid' && st !== 'checking') continue;
    if (!first || r.v < first.v || (r.v === first.v && r.at < first.at)) first = r;
  }
  return {
    groupId: group.id,
    name: head ? readName(head.name, 'Unnamed group') : 'Unnamed group',
    about: head ? head.about.trim().slice(0, ABOUT_MAX_CHARS) : '',
    createdAt: first ? group.time(first) : undefined,
    createdBy: first?.author,
  };
}

/**
 * Renames the group or changes its description. Any member may. What the patch leaves
 * alone is kept from the newest genuine version, so the versions there are checked first:
 * a member never signs a forged description (or loses the real one) by renaming.
 */
export async function setGroupInfo(
  group: Group,
  me: Me,
  patch: { name?: string; about?: string },
): Promise<void> {
  group.requireMember(me);
  const name = patch.name === undefined ? undefined : checkName(patch.name, 'A group name');
  const about = patch.about === undefined ? undefined : checkAbout(patch.about);
  // The rename must win over the version it builds on, so both need to be checked here.
  await group.verify(
    name === undefined || about === undefined
      ? [INFO_SLOT, memberSlot(me.id)]
      : [memberSlot(me.id)],
  );
  const base = group.trusted<GroupInfoRecord>(INFO_SLOT, me);
  group.write(me, 'group', {
    name: name ?? readName(base?.name ?? '', 'Unnamed group'),
    about: about ?? (base?.about ?? '').trim().slice(0, ABOUT_MAX_CHARS),
  });
}

/** Writes `me`'s member record, keeping the first join time and inviter. */
export function writeMember(group: Group, me: Me, invitedBy: MemberId | undefined): void {
  const name = checkName(me.name, 'A name');
  const existing = group.trusted<MemberRecord>(memberSlot(me.id), me);
  const inviter = existing ? existing.invitedBy : invitedBy;
  group.write(me, 'member', {
    name,
    boxKey: toBase64Url(me.box.publicKey),
    joinedAt: existing?.joinedAt ?? group.now(),
    ...(inviter !== undefined && inviter !== me.id ? { invitedBy: inviter } : {}),
  });
}

/** Members sorted by name (and id, so equal names keep a stable order), labelled apart. */
export function memberList(group: Group): MemberView[] {
  return group.memo('members', ['kind:member'], () => {
    const out: MemberView[] = [];
    for (const slot of group.slotsOf('member')) {
      const m = group.head<MemberRecord>(slot);
      if (m) out.push(memberView(m, group.time(m, m.joinedAt)));
    }
    return labelled(out.sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1)));
  });
}

export function memberById(group: Group, id: string): MemberView | undefined {
  return group
    .memo('members-by-id', ['kind:member'], () => new Map(memberList(group).map((m) => [m.id, m])))
    .get(id as MemberId);
}
