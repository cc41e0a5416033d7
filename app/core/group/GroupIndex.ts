// Reads of a 10,000-item group must not scan every item per call. This index holds the
// guard-checked records of one group document and is updated per transaction from the keys
// Yjs reports as changed, so each change costs only the keys it touched.
import type * as Y from 'yjs';
import type { MemberId } from '../crypto/keys.ts';
import {
  type ItemRecord,
  isTombstone,
  type MemberRecord,
  type PinRecord,
  parseItem,
  parseMember,
  parsePin,
  parseReaction,
  type ReactionRecord,
} from './records.ts';

/** The replies of a thread or the comments of a post. */
export interface ChildStats {
  /** Sorted by creation time, then id; tombstones included. */
  readonly sorted: readonly ItemRecord[];
  /** Count of children that are not deleted. */
  readonly live: number;
  /** Creation time of the newest live child, 0 when none. */
  readonly last: number;
}

/** The root maps of a group Y.Doc. */
export interface GroupMaps {
  readonly members: Y.Map<unknown>;
  readonly items: Y.Map<unknown>;
  readonly reactions: Y.Map<unknown>;
  readonly pins: Y.Map<unknown>;
}

/** Ids touched by one transaction. */
export interface IndexChange {
  /** Changed items, items whose reactions or pin changed, parents whose children changed. */
  readonly items: Set<string>;
  readonly members: boolean;
}

export const byTime = (a: ItemRecord, b: ItemRecord): number =>
  a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** The thread of a reply or the post of a comment. */
export const parentOf = (r: ItemRecord): string | undefined =>
  r.kind === 'reply'
    ? (r as { threadId: string }).threadId
    : r.kind === 'comment'
      ? (r as { postId: string }).postId
      : undefined;

export class GroupIndex {
  readonly members = new Map<MemberId, MemberRecord>();
  readonly records = new Map<string, ItemRecord>();
  readonly threads = new Set<string>();
  readonly posts = new Set<string>();
  readonly pins = new Map<string, PinRecord>();
  readonly #maps: GroupMaps;
  readonly #children = new Map<string, Set<string>>();
  readonly #stats = new Map<string, ChildStats>();
  readonly #reactions = new Map<string, Map<string, ReactionRecord>>();
  #timeline: ItemRecord[] | null = null;

  constructor(maps: GroupMaps) {
    this.#maps = maps;
    const ignored = new Set<string>();
    for (const key of maps.members.keys()) this.#applyMember(key);
    for (const key of maps.items.keys()) this.#applyItem(key, ignored);
    for (const key of maps.reactions.keys()) this.#applyReaction(key, ignored);
    for (const key of maps.pins.keys()) this.#applyPin(key, ignored);
  }

  /** Brings the index up to date with one transaction and says what it touched. */
  apply(tr: Y.Transaction): IndexChange {
    const keysOf = (type: Y.Map<unknown>): string[] => {
      const keys = tr.changed.get(type as unknown as Parameters<typeof tr.changed.get>[0]);
      return keys ? ([...keys].filter((k) => k !== null) as string[]) : [];
    };
    const items = new Set<string>();
    const memberKeys = keysOf(this.#maps.members);
    for (const key of memberKeys) this.#applyMember(key);
    for (const key of keysOf(this.#maps.items)) this.#applyItem(key, items);
    for (const key of keysOf(this.#maps.reactions)) this.#applyReaction(key, items);
    for (const key of keysOf(this.#maps.pins)) this.#applyPin(key, items);
    return { items, members: memberKeys.length > 0 };
  }

  /** Replies (`kind` 'reply') or comments ('comment') under `parentId`, cached until they change. */
  childStats(parentId: string, kind: 'reply' | 'comment'): ChildStats {
    const cacheKey = `${kind}:${parentId}`;
    let stats = this.#stats.get(cacheKey);
    if (stats) return stats;
    const sorted: ItemRecord[] = [];
    for (const id of this.#children.get(parentId) ?? []) {
      const r = this.records.get(id);
      if (r?.kind === kind) sorted.push(r);
    }
    sorted.sort(byTime);
    let live = 0;
    let last = 0;
    for (const r of sorted) {
      if (isTombstone(r)) continue;
      live++;
      last = Math.max(last, r.createdAt);
    }
    stats = { sorted, live, last };
    this.#stats.set(cacheKey, stats);
    return stats;
  }

  /** Reaction records on an item (withdrawn ones included), keyed by their map key. */
  reactionsOn(itemId: string): ReadonlyMap<string, ReactionRecord> {
    return this.#reactions.get(itemId) ?? new Map();
  }

  /** Live items, newest first. */
  timeline(): readonly ItemRecord[] {
    this.#timeline ??= [...this.records.values()]
      .filter((r) => !isTombstone(r))
      .sort((a, b) => byTime(b, a));
    return this.#timeline;
  }

  #applyMember(key: string): void {
    const m = parseMember(key, this.#maps.members.get(key));
    if (m) this.members.set(m.id, m);
    else this.members.delete(key as MemberId);
  }

  #applyItem(key: string, changed: Set<string>): void {
    const before = this.records.get(key);
    const after = parseItem(key, this.#maps.items.get(key));
    if (before === after) return;
    changed.add(key);
    this.#timeline = null;
    if (before) {
      this.records.delete(key);
      this.threads.delete(key);
      this.posts.delete(key);
      const parent = parentOf(before);
      if (parent !== undefined) {
        this.#children.get(parent)?.delete(key);
        this.#touchParent(parent, changed);
      }
    }
    if (after) {
      this.records.set(key, after);
      if (after.kind === 'thread') this.threads.add(key);
      if (after.kind === 'post') this.posts.add(key);
      const parent = parentOf(after);
      if (parent !== undefined) {
        let set = this.#children.get(parent);
        if (!set) {
          set = new Set();
          this.#children.set(parent, set);
        }
        set.add(key);
        this.#touchParent(parent, changed);
      }
    }
  }

  #touchParent(parent: string, changed: Set<string>): void {
    this.#stats.delete(`reply:${parent}`);
    this.#stats.delete(`comment:${parent}`);
    changed.add(parent);
  }

  #applyReaction(key: string, changed: Set<string>): void {
    const bar = key.indexOf('|');
    if (bar < 0) return;
    const itemId = key.slice(0, bar);
    const r = parseReaction(key, this.#maps.reactions.get(key));
    let map = this.#reactions.get(itemId);
    if (r) {
      if (!map) {
        map = new Map();
        this.#reactions.set(itemId, map);
      }
      map.set(key, r);
    } else if (!map?.delete(key)) return;
    changed.add(itemId);
  }

  #applyPin(key: string, changed: Set<string>): void {
    const p = parsePin(key, this.#maps.pins.get(key));
    if (p) this.pins.set(key, p);
    else if (!this.pins.delete(key)) return;
    changed.add(key);
  }
}
