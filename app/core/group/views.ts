// What reads return: plain read-only objects built from shape-checked records, with the
// author's current name, counts and pin state resolved, so screens never touch raw records.
import { fromBase64Url } from '../crypto/bytes.ts';
import type { BoxPublicKey, GroupId, MemberId } from '../crypto/keys.ts';
import { type GroupIndex, parentOf } from './GroupIndex.ts';
import {
  type ItemRecord,
  isShared,
  isTombstone,
  type MemberRecord,
  type PostRecord,
  type TombstoneRecord,
} from './records.ts';

export interface GroupInfo {
  readonly groupId: GroupId;
  /** Undefined until the group's first state has arrived (a fresh join). */
  readonly schemaVersion: number | undefined;
  readonly name: string;
  readonly about: string;
  readonly createdAt: number | undefined;
  readonly createdBy: MemberId | undefined;
}

export interface MemberView {
  readonly id: MemberId;
  readonly name: string;
  readonly boxKey: BoxPublicKey;
  readonly joinedAt: number;
  readonly invitedBy?: MemberId;
}

interface ItemViewBase {
  readonly id: string;
  readonly author: MemberId;
  /** The author's current name, or null when they have no member record here. */
  readonly authorName: string | null;
  readonly createdAt: number;
  readonly editedAt?: number;
  /** A tombstone: title and body are empty. */
  readonly deleted: boolean;
  readonly body: string;
  readonly mentions: readonly MemberId[];
}
export interface ThreadView extends ItemViewBase {
  readonly kind: 'thread';
  readonly title: string;
  readonly pinned: boolean;
  readonly replyCount: number;
  /** Newest of the thread's and its live replies' creation times. */
  readonly lastActivity: number;
}
export interface ReplyView extends ItemViewBase {
  readonly kind: 'reply';
  readonly threadId: string;
  readonly quoteOf?: string;
}
export interface SharedFromView {
  readonly groupId: string;
  readonly groupName: string;
  readonly author: MemberId;
  readonly authorName: string;
  readonly originalId: string;
  readonly originalCreatedAt: number;
}
export interface PostView extends ItemViewBase {
  readonly kind: 'post';
  readonly title: string;
  readonly pinned: boolean;
  readonly commentCount: number;
  readonly lastActivity: number;
  /** Set when the post was shared from another group; `author` is then the sharer. */
  readonly sharedFrom?: SharedFromView;
}
export interface CommentView extends ItemViewBase {
  readonly kind: 'comment';
  readonly postId: string;
  readonly quoteOf?: string;
}
export type ItemView = ThreadView | ReplyView | PostView | CommentView;

/** One transaction's worth of change, so the UI refreshes only what changed. */
export interface GroupChange {
  /**
   * Items whose record, reactions or pin changed, plus the threads and posts whose replies
   * or comments changed (their counts and last activity moved).
   */
  readonly items: ReadonlySet<string>;
  /** Member records changed (names shown next to items may have changed). */
  readonly members: boolean;
  /** Group name, about or schema version changed. */
  readonly info: boolean;
}

/** A member record as the UI needs it: the box key decoded. */
export function memberView(m: MemberRecord): MemberView {
  return {
    id: m.id,
    name: m.name,
    boxKey: fromBase64Url(m.boxKey) as BoxPublicKey,
    joinedAt: m.joinedAt,
    ...(m.invitedBy !== undefined ? { invitedBy: m.invitedBy } : {}),
  };
}

/** The read-only shape the UI gets for a record, with names, counts and pin state filled in. */
export function itemView(index: GroupIndex, r: ItemRecord): ItemView {
  const deleted = isTombstone(r);
  const author = index.members.get(r.author);
  const base = {
    id: r.id,
    author: r.author,
    authorName: author ? author.name : null,
    createdAt: r.createdAt,
    ...(r.editedAt !== undefined ? { editedAt: r.editedAt } : {}),
    deleted,
  };
  const live = deleted ? null : (r as Exclude<ItemRecord, TombstoneRecord>);
  const content = (x: unknown): { body: string; mentions: readonly MemberId[] } => {
    const c = x as { body?: string; mentions?: readonly MemberId[] } | null;
    return { body: c?.body ?? '', mentions: c?.mentions ?? [] };
  };
  switch (r.kind) {
    case 'thread': {
      const stats = index.childStats(r.id, 'reply');
      return {
        ...base,
        ...content(live),
        kind: 'thread',
        title: (live as { title?: string } | null)?.title ?? '',
        pinned: index.pins.get(r.id)?.pinned === true,
        replyCount: stats.live,
        lastActivity: Math.max(r.createdAt, stats.last),
      };
    }
    case 'post': {
      const stats = index.childStats(r.id, 'comment');
      const shared = live && isShared(live) ? live.sharedFrom : undefined;
      const source: PostRecord | null = shared ? shared.original : (live as PostRecord | null);
      return {
        ...base,
        ...content(source),
        ...(shared?.original.editedAt !== undefined ? { editedAt: shared.original.editedAt } : {}),
        ...(shared ? { mentions: [] } : {}),
        kind: 'post',
        title: source?.title ?? '',
        pinned: index.pins.get(r.id)?.pinned === true,
        commentCount: stats.live,
        lastActivity: Math.max(r.createdAt, stats.last),
        ...(shared
          ? {
              sharedFrom: {
                groupId: shared.groupId,
                groupName: shared.groupName,
                author: shared.original.author,
                authorName: shared.authorName,
                originalId: shared.original.id,
                originalCreatedAt: shared.original.createdAt,
              },
            }
          : {}),
      };
    }
    case 'reply': {
      const quoteOf = (live as { quoteOf?: string } | null)?.quoteOf;
      return {
        ...base,
        ...content(live),
        kind: 'reply',
        threadId: parentOf(r)!,
        ...(quoteOf !== undefined ? { quoteOf } : {}),
      };
    }
    case 'comment': {
      const quoteOf = (live as { quoteOf?: string } | null)?.quoteOf;
      return {
        ...base,
        ...content(live),
        kind: 'comment',
        postId: parentOf(r)!,
        ...(quoteOf !== undefined ? { quoteOf } : {}),
      };
    }
  }
}
