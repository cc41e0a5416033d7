// What a feature may offer the app besides its own screens: conversations that count as
// unread, and entries for the home feed. Home and the unread badge iterate over features,
// so a new feature appears there without an edit to either.
import type { MemberId } from '../crypto/keys.ts';
import type { Group, RecordStatus } from '../group/Group.ts';
import type { RecordKind } from '../group/RecordKind.ts';

/** Something members read and answer: a thread, a post. */
export interface Conversation {
  readonly id: string;
  readonly author: MemberId;
  /** The tab it lives under, for per-tab counts. */
  readonly tab: string;
  /** Live answers after `at` (ms) not written by `me`. */
  countSince(at: number, me?: MemberId): number;
}

/** A place in the app, by route name and parameters (the UI's route table turns it into a link). */
export interface Place {
  readonly route: string;
  readonly params: Readonly<Record<string, string>>;
}

/** One line of the home feed. */
export interface ActivityItem {
  readonly id: string;
  readonly author: MemberId;
  readonly authorName: string | null;
  readonly createdAt: number;
  readonly status: RecordStatus;
  /** What happened, after the author's name: "replied to “Seed swap”". */
  readonly action: string;
  readonly place: Place;
}

export interface Feature {
  conversations?(): readonly Conversation[];
  /** The newest live items, newest first. */
  recent?(limit: number): readonly ActivityItem[];
}

/** The feed fields every item view already has. */
export const activityOf = (v: {
  readonly id: string;
  readonly author: MemberId;
  readonly authorName: string | null;
  readonly createdAt: number;
  readonly status: RecordStatus;
}): Omit<ActivityItem, 'action' | 'place'> => ({
  id: v.id,
  author: v.author,
  authorName: v.authorName,
  createdAt: v.createdAt,
  status: v.status,
});

const newestFirst = (a: ActivityItem, b: ActivityItem): number =>
  b.createdAt - a.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * The newest `limit` items of conversations given by last activity, newest first (each
 * conversation's items are no newer than its last activity). The walk stops once no later
 * conversation can hold anything newer, so Home costs a few of a big group's threads, not
 * all 10,000 of them.
 */
export function newestOf<C extends { readonly lastActivity: number }>(
  conversations: readonly C[],
  itemsOf: (c: C) => readonly ActivityItem[],
  limit: number,
): ActivityItem[] {
  if (limit <= 0) return [];
  let out: ActivityItem[] = [];
  for (const c of conversations) {
    if (out.length >= limit) {
      out = out.sort(newestFirst).slice(0, limit);
      if (c.lastActivity < out[limit - 1]!.createdAt) break;
    }
    out.push(...itemsOf(c));
  }
  return out.sort(newestFirst).slice(0, limit);
}

/** What a feature folder's index.ts exports for the registry: its kinds and its facade. */
export interface FeatureModule<F> {
  readonly kinds: readonly RecordKind[];
  facade(group: Group): F;
}
