// Threads and replies: the group's conversations. A facade over the kernel, bound to one
// group; every write is a signed record and every read a view of the newest valid version.
import type { MemberId } from '../../crypto/keys.ts';
import type { Group, Me } from '../../group/Group.ts';
import { GroupError } from '../../group/GroupError.ts';
import {
  BODY_MAX_CHARS,
  checkBody,
  checkTitle,
  childrenOf,
  countChildrenSince,
  createItem,
  editItem,
  type ItemViewBase,
  itemViewBase,
  mentionsIn,
  removeItem,
  requireLive,
  summaryOf,
  TITLE_MAX_CHARS,
  topLevel,
} from '../../group/items.ts';
import { readName } from '../../group/members.ts';
import { itemsPart } from '../exportItems.ts';
import type { ActivityItem, Conversation, ExportPart, Feature, SearchDoc } from '../Feature.ts';
import { activityOf, newestOf, searchDocsOf } from '../Feature.ts';
import type { ReplyRecord, ThreadRecord } from './records.ts';

export interface ThreadView extends ItemViewBase {
  readonly kind: 'thread';
  readonly title: string;
  readonly replyCount: number;
  /** Newest of the thread's and its live replies' creation times. */
  readonly lastActivity: number;
}

export interface ReplyView extends ItemViewBase {
  readonly kind: 'reply';
  readonly threadId: string;
  readonly quoteOf?: string;
}

export class Discussion implements Feature {
  constructor(readonly group: Group) {}

  /** Live threads, by last activity, newest first. */
  threads(): ThreadView[] {
    return topLevel<ThreadRecord>(this.group, 'thread', 'reply').map((t) =>
      this.#threadView(t.record, t.children, t.lastActivity),
    );
  }

  /**
   * Ids of the live threads in the order of threads(), without building their views: a list
   * screen shows a page of a 10,000-thread group and builds views for that page only.
   */
  threadIds(): string[] {
    return topLevel<ThreadRecord>(this.group, 'thread', 'reply').map((t) => t.record.id);
  }

  thread(id: string): ThreadView | undefined {
    const t = summaryOf<ThreadRecord>(this.group, id, 'thread', 'reply');
    return t && this.#threadView(t.record, t.children, t.lastActivity);
  }

  /** Replies of a thread, oldest first; deleted ones stay in place as tombstones. */
  replies(threadId: string): ReplyView[] {
    return childrenOf<ReplyRecord>(this.group, threadId, 'reply').map((r) => this.#replyView(r));
  }

  /** A thread or reply by id, deleted ones included (as tombstones). */
  item(id: string): ThreadView | ReplyView | undefined {
    const r = this.group.head<ThreadRecord | ReplyRecord>(id);
    if (r?.kind === 'reply') return this.#replyView(r);
    return r?.kind === 'thread' ? this.thread(id) : undefined;
  }

  conversations(): Conversation[] {
    return topLevel<ThreadRecord>(this.group, 'thread', 'reply').map(({ record: t }) => ({
      id: t.id,
      author: t.author,
      tab: 'threads',
      countSince: (at: number, me?: MemberId) => this.countSince(t.id, at, me),
    }));
  }

  recent(limit: number): ActivityItem[] {
    return newestOf(
      topLevel<ThreadRecord>(this.group, 'thread', 'reply'),
      (t) => {
        const title = this.#threadView(t.record, t.children, t.lastActivity).title;
        const place = {
          route: 'thread',
          params: { groupId: this.group.id, threadId: t.record.id },
        };
        const out = [{ ...this.#activity(t.record), action: `started “${title}”`, place }];
        for (const r of childrenOf<ReplyRecord>(this.group, t.record.id, 'reply')) {
          if (!r.deleted)
            out.push({ ...this.#activity(r), action: `replied to “${title}”`, place });
        }
        return out;
      },
      limit,
    );
  }

  searchable(ids?: ReadonlySet<string>): SearchDoc[] {
    return searchDocsOf<ThreadRecord | ReplyRecord>(this.group, ['thread', 'reply'], ids, (r) => {
      const base = itemViewBase(this.group, r);
      const threadId = r.kind === 'reply' ? r.threadId : r.id;
      return {
        id: r.id,
        kind: r.kind,
        ...(r.kind === 'thread'
          ? { title: readName(r.title ?? '', 'Untitled', TITLE_MAX_CHARS) }
          : {}),
        text: base.body,
        author: r.author,
        authorName: base.authorName,
        createdAt: base.createdAt,
        place: { route: 'thread', params: { groupId: this.group.id, threadId } },
      };
    });
  }

  exportPart(): ExportPart {
    const items = this.threads().map((item) => ({ item, children: this.replies(item.id) }));
    return itemsPart('Threads', 'Replies', items);
  }

  #activity(r: ThreadRecord | ReplyRecord): Omit<ActivityItem, 'action' | 'place'> {
    return activityOf(itemViewBase(this.group, r));
  }

  /** Live replies after `at` not written by `me`, for unread counts. */
  countSince(threadId: string, at: number, me?: MemberId): number {
    return countChildrenSince(this.group, threadId, 'reply', at, me);
  }

  /** Starts a thread; returns its id. */
  startThread(me: Me, input: { title: string; body: string }): string {
    const title = checkTitle(input.title);
    const body = checkBody(input.body, BODY_MAX_CHARS, true);
    return createItem(this.group, me, 'thread', {
      title,
      body,
      mentions: mentionsIn(this.group, body),
    });
  }

  /** Replies to a thread, optionally quoting one of its replies; returns the reply's id. */
  reply(me: Me, threadId: string, body: string, quoteOf?: string): string {
    this.group.requireMember(me);
    requireLive(this.group, threadId, 'thread');
    const text = checkBody(body, BODY_MAX_CHARS, false);
    if (quoteOf !== undefined) {
      const q = this.group.head<ReplyRecord>(quoteOf);
      if (q?.kind !== 'reply' || q.threadId !== threadId) {
        throw new GroupError('bad-quote', 'You can only quote a reply from the same conversation.');
      }
    }
    return createItem(this.group, me, 'reply', {
      threadId,
      body: text,
      mentions: mentionsIn(this.group, text),
      ...(quoteOf !== undefined ? { quoteOf } : {}),
    });
  }

  /** A new version of the caller's own thread (title and body) or reply (body). */
  edit(me: Me, id: string, patch: { title?: string; body?: string }): void {
    const r = requireLive<ThreadRecord | ReplyRecord>(this.group, id);
    if (r.kind !== 'thread' && r.kind !== 'reply')
      throw new GroupError('not-found', 'That item is not in this conversation.');
    if (patch.title !== undefined && r.kind !== 'thread') {
      throw new GroupError('wrong-kind', 'Only threads and posts have a title.');
    }
    const next: Record<string, unknown> = {};
    if (patch.title !== undefined) next.title = checkTitle(patch.title);
    if (patch.body !== undefined) {
      next.body = checkBody(patch.body, BODY_MAX_CHARS, r.kind === 'thread');
      next.mentions = mentionsIn(this.group, next.body as string);
    }
    editItem(this.group, me, id, next);
  }

  /** Ends the caller's own thread or reply with a signed tombstone. */
  remove(me: Me, id: string): void {
    const r = this.group.head<ThreadRecord | ReplyRecord>(id);
    removeItem(this.group, me, id, r?.kind === 'reply' ? 'threadId' : undefined);
  }

  #threadView(r: ThreadRecord, replyCount: number, lastActivity: number): ThreadView {
    return {
      ...itemViewBase(this.group, r),
      kind: 'thread',
      title: r.deleted ? '' : readName(r.title ?? '', 'Untitled', TITLE_MAX_CHARS),
      replyCount,
      lastActivity,
    };
  }

  #replyView(r: ReplyRecord): ReplyView {
    return {
      ...itemViewBase(this.group, r),
      kind: 'reply',
      threadId: r.threadId,
      ...(r.quoteOf !== undefined && !r.deleted ? { quoteOf: r.quoteOf } : {}),
    };
  }
}
