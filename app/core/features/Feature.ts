// What a feature may offer the app besides its own screens: conversations that count as
// unread, and entries for the home feed. Home and the unread badge iterate over features,
// so a new feature appears there without an edit to either.
import type { MemberId } from '../crypto/keys.ts';
import type { Group, RecordStatus } from '../group/Group.ts';
import type { RecordKind } from '../group/RecordKind.ts';
import type { SignedRecord } from '../group/records.ts';

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

/**
 * One thing search can find: a live thread, reply, post, comment, source, … as plain text.
 * Search indexes these and nothing else, so a feature appears in search by offering them.
 */
export interface SearchDoc {
  /** The item's id (unique in its group). */
  readonly id: string;
  /** The record kind ('thread', 'reply', 'post', …), for the kind filter. */
  readonly kind: string;
  readonly title?: string;
  /** The searchable text (markdown source is fine). */
  readonly text: string;
  readonly author: MemberId;
  readonly authorName: string | null;
  readonly createdAt: number;
  /** Where a result leads. */
  readonly place: Place;
}

/**
 * A feature's part of a group export ("Export group"): readable Markdown (a section under
 * its own `## title`) and plain data for the JSON file, under the feature's name.
 */
export interface ExportPart {
  readonly title: string;
  readonly markdown: string;
  readonly data: unknown;
}

/** Something open that waits for this member's answer: a proposal, a poll. */
export interface Awaiting {
  readonly id: string;
  readonly title: string;
  /** What it is, in a word ('proposal', 'poll'). */
  readonly what: string;
  /** The tab it lives under, for per-tab counts. */
  readonly tab: string;
  readonly createdAt: number;
  /** When it closes by itself (ms), if it does. */
  readonly deadline?: number;
  readonly place: Place;
}

export interface Feature {
  conversations?(): readonly Conversation[];
  /** The newest live items, newest first. */
  recent?(limit: number): readonly ActivityItem[];
  /**
   * The feature's live searchable documents: all of them, or (for incremental updates) only
   * those among `ids`. Search calls it with the ids of a GroupChange (Group.onChange is the
   * change signal): an id of `ids` that no feature returns a document for is dropped from
   * the index (deleted, or not searchable), so a feature ignores ids it does not own.
   */
  searchable?(ids?: ReadonlySet<string>): readonly SearchDoc[];
  /** What this feature holds, for a group export; a feature with nothing to export has none. */
  exportPart?(): ExportPart;
  /** Open items waiting for `me`'s answer; each counts as one unread in badges and tabs. */
  awaiting?(me: MemberId): readonly Awaiting[];
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

/**
 * The search documents of the live records of `kinds` (among `ids`, when given): each
 * head of those kinds that is not a tombstone goes through `toDoc`. Features with item
 * kinds implement `searchable` with this.
 */
export function searchDocsOf<R extends SignedRecord>(
  group: Group,
  kinds: readonly string[],
  ids: ReadonlySet<string> | undefined,
  toDoc: (r: R) => SearchDoc | null,
): SearchDoc[] {
  const out: SearchDoc[] = [];
  const visit = (slot: string): void => {
    const r = group.head<R>(slot);
    if (!r || !kinds.includes(r.kind) || (r as { deleted?: true }).deleted) return;
    const doc = toDoc(r);
    if (doc) out.push(doc);
  };
  if (ids) for (const id of ids) visit(id);
  else for (const k of kinds) for (const slot of group.slotsOf(k)) visit(slot);
  return out;
}

/** What a feature folder's index.ts exports for the registry: its kinds and its facade. */
export interface FeatureModule<F> {
  readonly kinds: readonly RecordKind[];
  facade(group: Group): F;
}
