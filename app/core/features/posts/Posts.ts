// Long-form posts with comments, and posts shared between groups. A facade over the kernel,
// bound to one group; every write is a signed record, every read a view of the newest
// valid version.
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
import {
  type ActivityItem,
  activityOf,
  type Conversation,
  type ExportPart,
  type Feature,
  newestOf,
  type SearchDoc,
  searchDocsOf,
} from '../Feature.ts';
import {
  type CommentRecord,
  POST_BODY_MAX_CHARS,
  type PostRecord,
  type SharedFrom,
} from './records.ts';

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

/** What `shareSource` hands to another group's `addShared`. */
export type ShareSource = SharedFrom;

export class Posts implements Feature {
  constructor(readonly group: Group) {}

  /** Live posts, by last activity, newest first. */
  posts(): PostView[] {
    return topLevel<PostRecord>(this.group, 'post', 'comment').map((p) =>
      this.#postView(p.record, p.children, p.lastActivity),
    );
  }

  /** Ids of the live posts in the order of posts(), without building their views. */
  postIds(): string[] {
    return topLevel<PostRecord>(this.group, 'post', 'comment').map((p) => p.record.id);
  }

  post(id: string): PostView | undefined {
    const t = summaryOf<PostRecord>(this.group, id, 'post', 'comment');
    return t && this.#postView(t.record, t.children, t.lastActivity);
  }

  /** Comments of a post, oldest first; deleted ones stay in place as tombstones. */
  comments(postId: string): CommentView[] {
    return childrenOf<CommentRecord>(this.group, postId, 'comment').map((c) =>
      this.#commentView(c),
    );
  }

  /** A post or comment by id, deleted ones included (as tombstones). */
  item(id: string): PostView | CommentView | undefined {
    const r = this.group.head<PostRecord | CommentRecord>(id);
    if (r?.kind === 'comment') return this.#commentView(r);
    return r?.kind === 'post' ? this.post(id) : undefined;
  }

  exportPart(): ExportPart {
    const items = this.posts().map((item) => ({ item, children: this.comments(item.id) }));
    return itemsPart('Posts', 'Comments', items);
  }

  conversations(): Conversation[] {
    return topLevel<PostRecord>(this.group, 'post', 'comment').map(({ record: p }) => ({
      id: p.id,
      author: p.author,
      tab: 'posts',
      countSince: (at: number, me?: MemberId) => this.countSince(p.id, at, me),
    }));
  }

  recent(limit: number): ActivityItem[] {
    return newestOf(
      topLevel<PostRecord>(this.group, 'post', 'comment'),
      (p) => {
        const view = this.#postView(p.record, p.children, p.lastActivity);
        const place = { route: 'post', params: { groupId: this.group.id, postId: view.id } };
        const action = view.sharedFrom
          ? `shared “${view.title}” from ${view.sharedFrom.groupName}`
          : `posted “${view.title}”`;
        const out = [{ ...activityOf(view), action, place }];
        for (const c of this.comments(view.id)) {
          if (!c.deleted)
            out.push({ ...activityOf(c), action: `commented on “${view.title}”`, place });
        }
        return out;
      },
      limit,
    );
  }

  searchable(ids?: ReadonlySet<string>): SearchDoc[] {
    return searchDocsOf<PostRecord | CommentRecord>(this.group, ['post', 'comment'], ids, (r) => {
      const v = r.kind === 'post' ? this.#postView(r, 0, 0) : this.#commentView(r);
      const postId = r.kind === 'comment' ? r.postId : r.id;
      return {
        id: v.id,
        kind: v.kind,
        ...(v.kind === 'post' ? { title: v.title } : {}),
        text: v.body,
        author: v.author,
        authorName: v.authorName,
        createdAt: v.createdAt,
        place: { route: 'post', params: { groupId: this.group.id, postId } },
      };
    });
  }

  countSince(postId: string, at: number, me?: MemberId): number {
    return countChildrenSince(this.group, postId, 'comment', at, me);
  }

  /** Publishes a post; returns its id. */
  createPost(me: Me, input: { title: string; body: string }): string {
    const title = checkTitle(input.title);
    const body = checkBody(input.body, POST_BODY_MAX_CHARS, true);
    return createItem(this.group, me, 'post', {
      title,
      body,
      mentions: mentionsIn(this.group, body),
    });
  }

  /** Comments on a post, optionally quoting one of its comments; returns the comment's id. */
  comment(me: Me, postId: string, body: string, quoteOf?: string): string {
    this.group.requireMember(me);
    requireLive(this.group, postId, 'post');
    const text = checkBody(body, BODY_MAX_CHARS, false);
    if (quoteOf !== undefined) {
      const q = this.group.head<CommentRecord>(quoteOf);
      if (q?.kind !== 'comment' || q.postId !== postId) {
        throw new GroupError(
          'bad-quote',
          'You can only quote a comment from the same conversation.',
        );
      }
    }
    return createItem(this.group, me, 'comment', {
      postId,
      body: text,
      mentions: mentionsIn(this.group, text),
      ...(quoteOf !== undefined ? { quoteOf } : {}),
    });
  }

  /** A new version of the caller's own post (title and body) or comment (body). */
  edit(me: Me, id: string, patch: { title?: string; body?: string }): void {
    const r = requireLive<PostRecord | CommentRecord>(this.group, id);
    if (r.kind !== 'post' && r.kind !== 'comment')
      throw new GroupError('not-found', 'That item is not a post or comment.');
    if (r.kind === 'post' && r.sharedFrom) {
      throw new GroupError(
        'not-editable',
        'A shared post keeps its original words; it cannot be edited.',
      );
    }
    if (patch.title !== undefined && r.kind !== 'post') {
      throw new GroupError('wrong-kind', 'Only threads and posts have a title.');
    }
    const next: Record<string, unknown> = {};
    if (patch.title !== undefined) next.title = checkTitle(patch.title);
    if (patch.body !== undefined) {
      const max = r.kind === 'post' ? POST_BODY_MAX_CHARS : BODY_MAX_CHARS;
      next.body = checkBody(patch.body, max, r.kind === 'post');
      next.mentions = mentionsIn(this.group, next.body as string);
    }
    editItem(this.group, me, id, next);
  }

  remove(me: Me, id: string): void {
    const r = this.group.head<PostRecord | CommentRecord>(id);
    removeItem(this.group, me, id, r?.kind === 'comment' ? 'postId' : undefined);
  }

  /** The post as another group's `addShared` needs it: the original signed record and where it came from. */
  shareSource(postId: string): ShareSource {
    const r = requireLive<PostRecord>(this.group, postId, 'post');
    if (r.sharedFrom) return r.sharedFrom;
    return {
      groupId: this.group.id,
      groupName: this.group.info().name,
      authorName: this.group.memberName(r.author) ?? 'Unknown member',
      original: r,
    };
  }

  /** Adds a copy of a post from another group, signed by the sharer; returns the new id. */
  addShared(me: Me, source: ShareSource): string {
    return createItem(this.group, me, 'post', { sharedFrom: source });
  }

  #postView(r: PostRecord, commentCount: number, lastActivity: number): PostView {
    const base = itemViewBase(this.group, r);
    const shared = r.deleted ? undefined : r.sharedFrom;
    const source = shared ? shared.original : r;
    return {
      ...base,
      ...(shared
        ? {
            body: source.body ?? '',
            mentions: [],
            ...(source.v > 1 ? { editedAt: this.group.time(r, source.at) } : {}),
          }
        : {}),
      kind: 'post',
      title: r.deleted ? '' : readName(source.title ?? '', 'Untitled', TITLE_MAX_CHARS),
      commentCount,
      lastActivity,
      ...(shared
        ? {
            sharedFrom: {
              groupId: shared.groupId,
              groupName: readName(shared.groupName, 'Another group'),
              author: shared.original.author,
              authorName: readName(shared.authorName, 'Unknown member'),
              originalId: shared.original.id,
              originalCreatedAt: Math.min(
                shared.original.createdAt,
                this.group.time(r, r.createdAt),
              ),
            },
          }
        : {}),
    };
  }

  #commentView(r: CommentRecord): CommentView {
    return {
      ...itemViewBase(this.group, r),
      kind: 'comment',
      postId: r.postId,
      ...(r.quoteOf !== undefined && !r.deleted ? { quoteOf: r.quoteOf } : {}),
    };
  }
}

/** Copies `postId` from one group into another as `me`; returns the new post's id there. */
export function sharePost(from: Posts, postId: string, to: Posts, me: Me): string {
  return to.addShared(me, from.shareSource(postId));
}
