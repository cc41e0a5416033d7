// Unread counts and the home feed are facts the member's own device works out: the group
// says what exists (through each feature's conversations and recent items), the private
// PersonalState says what this member has read. Nothing here writes to a group.
import type { GroupId, MemberId } from '../crypto/keys.ts';
import type { Group } from '../group/Group.ts';
import type { PersonalState, ReadMarker } from '../group/PersonalState.ts';
import type { ActivityItem, Awaiting, Conversation, Feature } from './Feature.ts';

/**
 * Unread answers in one conversation, newer than the marker and not written by `me`.
 * Without a marker the conversation itself counts too.
 */
export function unreadCount(
  c: Conversation,
  marker: ReadMarker | undefined,
  me?: MemberId,
): number {
  if (!marker) return (c.author === me ? 0 : 1) + c.countSince(-1, me);
  return c.countSince(marker.at, me);
}

export interface GroupUnread {
  readonly total: number;
  /** Per tab ('threads', 'posts', …), only where something is unread. */
  readonly byTab: ReadonlyMap<string, number>;
  /** Per conversation id, only where something is unread. */
  readonly byParent: ReadonlyMap<string, number>;
}

/** Unread counts for every live conversation of a group's features. */
export function groupUnread(
  group: Group,
  features: readonly Feature[],
  personal: PersonalState,
  me?: MemberId,
): GroupUnread {
  const byParent = new Map<string, number>();
  const byTab = new Map<string, number>();
  let total = 0;
  for (const f of features) {
    for (const c of f.conversations?.() ?? []) {
      const n = unreadCount(c, personal.get(group.id, c.id), me);
      if (n <= 0) continue;
      byParent.set(c.id, n);
      byTab.set(c.tab, (byTab.get(c.tab) ?? 0) + n);
      total += n;
    }
    if (!me) continue;
    for (const a of f.awaiting?.(me) ?? []) {
      // Unread once: a new item counts as unread until opened, then as awaiting until answered.
      if (byParent.has(a.id)) continue;
      byParent.set(a.id, 1);
      byTab.set(a.tab, (byTab.get(a.tab) ?? 0) + 1);
      total += 1;
    }
  }
  return { total, byTab, byParent };
}

export interface ActivityEntry {
  readonly groupId: GroupId;
  readonly groupName: string;
  readonly item: ActivityItem;
}

/** The newest items across groups, newest first, for the home feed. */
export function recentActivity(
  groups: readonly { group: Group; features: readonly Feature[] }[],
  limit = 50,
): ActivityEntry[] {
  const entries: ActivityEntry[] = [];
  for (const { group, features } of groups) {
    const groupName = group.info().name;
    for (const f of features) {
      for (const item of f.recent?.(limit) ?? [])
        entries.push({ groupId: group.id, groupName, item });
    }
  }
  return entries
    .sort((a, b) => b.item.createdAt - a.item.createdAt || (a.item.id < b.item.id ? -1 : 1))
    .slice(0, limit);
}

export interface AwaitingEntry {
  readonly groupId: GroupId;
  readonly groupName: string;
  readonly item: Awaiting;
}

/** What waits for `me`'s answer across groups, soonest deadline first, then oldest. */
export function awaitingAcross(
  groups: readonly { group: Group; features: readonly Feature[] }[],
  me: MemberId,
): AwaitingEntry[] {
  const out: AwaitingEntry[] = [];
  for (const { group, features } of groups) {
    const groupName = group.info().name;
    for (const f of features) {
      for (const item of f.awaiting?.(me) ?? []) out.push({ groupId: group.id, groupName, item });
    }
  }
  const due = (e: AwaitingEntry): number => e.item.deadline ?? Number.MAX_SAFE_INTEGER;
  return out.sort(
    (a, b) =>
      due(a) - due(b) || a.item.createdAt - b.item.createdAt || (a.item.id < b.item.id ? -1 : 1),
  );
}
