// What a member has read is nobody else's business, so read markers never enter a group
// doc. They live in a small per-identity "personal" Y.Doc that the app stores locally
// (and could later sync between the member's own devices); unread counts combine the two.
import * as Y from 'yjs';
import type { GroupId, MemberId } from '../crypto/keys.ts';
import { isItemId, isMemberId } from './records.ts';

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
  readonly #seen: Y.Map<unknown>;

  private constructor(doc: Y.Doc) {
    this.doc = doc;
    this.#meta = doc.getMap('meta');
    this.#reads = doc.getMap('reads');
    this.#seen = doc.getMap('seen');
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

  /**
   * When this device first saw records of `groupId` that claim a date in its future, so the
   * group can show them at that time in every session (see Group's `time`).
   */
  seenTimes(groupId: GroupId): {
    get(sig: string): number | undefined;
    set(sig: string, at: number): void;
  } {
    return {
      get: (sig) => {
        const v = this.#seen.get(`${groupId}|${sig}`);
        return typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;
      },
      set: (sig, at) => this.#seen.set(`${groupId}|${sig}`, at),
    };
  }

  /** Calls `cb` after every change (another device's markers arriving included). */
  onChange(cb: () => void): () => void {
    const handler = (): void => cb();
    this.#reads.observe(handler);
    return () => this.#reads.unobserve(handler);
  }
}
