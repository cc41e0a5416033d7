// What a member has read is nobody else's business, so read markers never enter a group
// doc. They live in a small per-identity "personal" Y.Doc that the app stores locally
// (and could later sync between the member's own devices); unread counts combine the two.
import * as Y from 'yjs';
import type { GroupId, MemberId } from '../crypto/keys.ts';
import type { Group } from './Group.ts';
import { isItemId, isMemberId } from './records.ts';
import type { ItemView } from './views.ts';

/** Where reading stopped in one thread or post. */
export interface ReadMarker {
  /** Creation time of the newest item seen. */
  readonly at: number;
  /** Id of that item, for scrolling back to it. */
  readonly lastId?: string;
}

const isMarker = (v: unknown): v is ReadMarker => {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return (
    typeof o.at === 'number' &&
    Number.isSafeInteger(o.at) &&
    (o.lastId === undefined || isItemId(o.lastId))
  );
};

const markerKey = (groupId: string, parentId: string): string => `${groupId}|${parentId}`;

/** One member's private state across all their groups: read markers, for now. */
export class PersonalState {
  readonly doc: Y.Doc;
  readonly #meta: Y.Map<unknown>;
  readonly #reads: Y.Map<unknown>;

  private constructor(doc: Y.Doc) {
    this.doc = doc;
    this.#meta = doc.getMap('meta');
    this.#reads = doc.getMap('reads');
  }

  /** A fresh personal document for `owner`. */
  static create(owner: MemberId): PersonalState {
    const state = new PersonalState(new Y.Doc());
    state.#meta.set('owner', owner);
    return state;
  }

  /** Wraps a stored personal Y.Doc. */
  static open(doc: Y.Doc): PersonalState {
    return new PersonalState(doc);
  }

  /** The identity this document belongs to (the app keys storage by it). */
  get owner(): MemberId | undefined {
    const o = this.#meta.get('owner');
    return isMemberId(o) ? o : undefined;
  }

  /** Records reading up to `at` in a thread or post. Markers only move forward. */
  markRead(groupId: GroupId, parentId: string, at: number, lastId?: string): void {
    const key = markerKey(groupId, parentId);
    const current = this.get(groupId, parentId);
    if (current && current.at >= at) return;
    this.#reads.set(key, lastId === undefined ? { at } : { at, lastId });
  }

  get(groupId: GroupId, parentId: string): ReadMarker | undefined {
    const v = this.#reads.get(markerKey(groupId, parentId));
    return isMarker(v) ? v : undefined;
  }

  /** Calls `cb` after every change (another device's markers arriving included). */
  onChange(cb: () => void): () => void {
    const handler = (): void => cb();
    this.#reads.observe(handler);
    return () => this.#reads.unobserve(handler);
  }
}

/**
 * Unread items in one thread or post: its replies or comments newer than the marker, not
 * written by `me`. Without a marker the thread or post itself counts too.
 */
export function unreadCount(
  group: Group,
  parentId: string,
  marker: ReadMarker | undefined,
  me?: MemberId,
): number {
  const parent = group.item(parentId);
  if (!parent || parent.deleted) return 0;
  if (!marker) return (parent.author === me ? 0 : 1) + group.countSince(parentId, -1, me);
  return group.countSince(parentId, marker.at, me);
}

export interface GroupUnread {
  /** Sum over all threads and posts. */
  readonly total: number;
  /** Only threads and posts with something unread. */
  readonly byParent: ReadonlyMap<string, number>;
}

/** Unread counts for every live thread and post of a group. */
export function groupUnread(group: Group, personal: PersonalState, me?: MemberId): GroupUnread {
  const byParent = new Map<string, number>();
  let total = 0;
  for (const parent of [...group.threads(), ...group.posts()]) {
    const n = unreadCount(group, parent.id, personal.get(group.id, parent.id), me);
    if (n > 0) {
      byParent.set(parent.id, n);
      total += n;
    }
  }
  return { total, byParent };
}

export interface ActivityEntry {
  readonly groupId: GroupId;
  readonly groupName: string;
  readonly item: ItemView;
}

/** The newest items across groups, newest first, for the home feed. */
export function recentActivity(groups: readonly Group[], limit = 50): ActivityEntry[] {
  const entries: ActivityEntry[] = [];
  for (const group of groups) {
    const groupName = group.info().name;
    for (const item of group.recent(limit)) entries.push({ groupId: group.id, groupName, item });
  }
  return entries
    .sort((a, b) => b.item.createdAt - a.item.createdAt || (a.item.id < b.item.id ? -1 : 1))
    .slice(0, limit);
}
