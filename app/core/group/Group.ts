// A group is one Y.Doc. This class is its typed API: every authored thing is an immutable
// signed record in a Y.Map (an edit or delete writes a new signed version), reads go through
// shape guards and incremental indexes so 10,000 items stay fast, and signatures are checked
// lazily, only for what is about to be shown.
import * as Y from 'yjs';
import { toBase64Url } from '../crypto/bytes.ts';
import { type GroupId, generateGroupId, type MemberId } from '../crypto/keys.ts';
import type { Identity } from '../identity/Identity.ts';
import { cleanName, countChars } from '../text/displayName.ts';
import { findMentions, type MentionTarget } from '../text/mentions.ts';
import { deriveItemId, newNonce, signedText, signRecord } from './canonical.ts';
import { GroupError } from './GroupError.ts';
import { GroupIndex, parentOf } from './GroupIndex.ts';
import {
  ABOUT_MAX_CHARS,
  BODY_MAX_CHARS,
  EMOJI,
  type Emoji,
  type ItemKind,
  type ItemRecord,
  isEmoji,
  isGroupIdText,
  isMemberId,
  isShared,
  isTombstone,
  type MemberRecord,
  POST_BODY_MAX_CHARS,
  type PostRecord,
  parseItem,
  reactionKey,
  SCHEMA_VERSION,
  type SharedFrom,
  TITLE_MAX_CHARS,
  type TombstoneRecord,
} from './records.ts';
import {
  defaultVerifier,
  type SignatureCheck,
  type Verifier,
  type VerifyStatus,
} from './Verifier.ts';
import {
  type CommentView,
  type GroupChange,
  type GroupInfo,
  type ItemView,
  itemView,
  type MemberView,
  memberView,
  type PostView,
  type ReplyView,
  type ThreadView,
} from './views.ts';

export interface GroupOptions {
  /** Signature checker; defaults to one shared by the whole app. */
  readonly verifier?: Verifier;
  /** ms since the epoch; injectable for tests. */
  readonly clock?: () => number;
  /** Receives exceptions thrown by onChange listeners (default: rethrown asynchronously). */
  readonly onListenerError?: (error: unknown) => void;
}

/** What `shareSource` hands to another group's `addShared`. */
export type ShareSource = SharedFrom;

type Me = Pick<Identity, 'id' | 'name' | 'signing' | 'box'>;

export class Group {
  readonly doc: Y.Doc;
  readonly id: GroupId;
  readonly #meta: Y.Map<unknown>;
  readonly #membersMap: Y.Map<unknown>;
  readonly #itemsMap: Y.Map<unknown>;
  readonly #reactionsMap: Y.Map<unknown>;
  readonly #pinsMap: Y.Map<unknown>;
  readonly #verifier: Verifier;
  readonly #now: () => number;
  readonly #onListenerError: (error: unknown) => void;

  readonly #index: GroupIndex;
  readonly #listeners = new Set<(change: GroupChange) => void>();

  private constructor(doc: Y.Doc, id: GroupId, options: GroupOptions) {
    this.doc = doc;
    this.id = id;
    this.#meta = doc.getMap('meta');
    this.#membersMap = doc.getMap('members');
    this.#itemsMap = doc.getMap('items');
    this.#reactionsMap = doc.getMap('reactions');
    this.#pinsMap = doc.getMap('pins');
    this.#verifier = options.verifier ?? defaultVerifier;
    this.#now = options.clock ?? (() => Date.now());
    this.#onListenerError =
      options.onListenerError ??
      ((error) => {
        void Promise.reject(error);
      });
    this.#index = new GroupIndex({
      members: this.#membersMap,
      items: this.#itemsMap,
      reactions: this.#reactionsMap,
      pins: this.#pinsMap,
    });
    doc.on('afterTransaction', this.#onTransaction);
  }

  /** Starts a new group in a new Y.Doc, with `me` as its first member. */
  static create(
    opts: { name: string; me: Identity; about?: string; groupId?: GroupId } & GroupOptions,
  ): Group {
    const name = cleanName(opts.name);
    if (name === null) throw new GroupError('bad-name', 'A group name needs 1 to 100 characters.');
    const about = checkAbout(opts.about ?? '');
    const id = opts.groupId ?? generateGroupId();
    const group = new Group(new Y.Doc(), id, opts);
    group.doc.transact(() => {
      group.#meta.set('schemaVersion', SCHEMA_VERSION);
      group.#meta.set('groupId', id);
      group.#meta.set('name', name);
      group.#meta.set('about', about);
      group.#meta.set('createdAt', group.#now());
      group.#meta.set('createdBy', opts.me.id);
      group.#writeMember(opts.me, undefined);
    });
    return group;
  }

  /**
   * Wraps an existing Y.Doc; `groupId` is required when the document may still be empty
   * (joining from an invite before the first sync) and is checked against it otherwise.
   */
  static open(doc: Y.Doc, opts: { groupId?: GroupId } & GroupOptions = {}): Group {
    const meta = doc.getMap('meta');
    const version = meta.get('schemaVersion');
    if (typeof version === 'number' && version > SCHEMA_VERSION) {
      throw new GroupError(
        'newer-schema',
        'This group was saved by a newer version of Hearth. Update the app to open it.',
      );
    }
    const stored = meta.get('groupId');
    const storedId = isGroupIdText(stored) ? (stored as GroupId) : undefined;
    if (storedId && opts.groupId && storedId !== opts.groupId) {
      throw new GroupError('wrong-group', 'This document belongs to a different group.');
    }
    const id = storedId ?? opts.groupId;
    if (!id) throw new GroupError('no-group-id', 'This document does not say which group it is.');
    return new Group(doc, id, opts);
  }

  /** Stops listening to the Y.Doc. */
  destroy(): void {
    this.doc.off('afterTransaction', this.#onTransaction);
    this.#listeners.clear();
  }

  // --- info and members ---------------------------------------------------------------------

  info(): GroupInfo {
    const m = this.#meta;
    const str = (k: string, max: number): string | undefined => {
      const v = m.get(k);
      return typeof v === 'string' && v.length <= max ? v : undefined;
    };
    const num = (k: string): number | undefined => {
      const v = m.get(k);
      return typeof v === 'number' && Number.isSafeInteger(v) ? v : undefined;
    };
    const createdBy = m.get('createdBy');
    return {
      groupId: this.id,
      schemaVersion: num('schemaVersion'),
      name: str('name', 400) ?? 'Unnamed group',
      about: str('about', ABOUT_MAX_CHARS * 2) ?? '',
      createdAt: num('createdAt'),
      createdBy: isMemberId(createdBy) ? createdBy : undefined,
    };
  }

  /** Renames the group or changes its description. Any member may. */
  setInfo(me: Me, patch: { name?: string; about?: string }): void {
    this.#requireMember(me);
    const name = patch.name === undefined ? undefined : cleanName(patch.name);
    if (name === null) throw new GroupError('bad-name', 'A group name needs 1 to 100 characters.');
    const about = patch.about === undefined ? undefined : checkAbout(patch.about);
    this.doc.transact(() => {
      if (name !== undefined) this.#meta.set('name', name);
      if (about !== undefined) this.#meta.set('about', about);
    });
  }

  /**
   * Adds `me` as a member (a record signed by their own key). Calling it again refreshes
   * their name and box key and keeps the original join time and inviter.
   */
  join(me: Me, invitedBy?: MemberId): void {
    this.doc.transact(() => this.#writeMember(me, invitedBy));
  }

  #writeMember(me: Me, invitedBy: MemberId | undefined): void {
    const name = cleanName(me.name);
    if (name === null) throw new GroupError('bad-name', 'A name needs 1 to 100 characters.');
    const existing = this.#index.members.get(me.id);
    const inviter = existing ? existing.invitedBy : invitedBy;
    const fields: Omit<MemberRecord, 'sig'> = {
      kind: 'member',
      id: me.id,
      name,
      boxKey: toBase64Url(me.box.publicKey),
      joinedAt: existing?.joinedAt ?? this.#now(),
      ...(inviter !== undefined && inviter !== me.id ? { invitedBy: inviter } : {}),
    };
    this.#membersMap.set(me.id, signRecord(me, this.id, fields));
  }

  isMember(id: string): boolean {
    return this.#index.members.has(id as MemberId);
  }

  member(id: string): MemberView | undefined {
    const m = this.#index.members.get(id as MemberId);
    return m ? memberView(m) : undefined;
  }

  /** Members sorted by name. */
  members(): MemberView[] {
    return [...this.#index.members.values()]
      .map(memberView)
      .sort((a, b) => a.name.localeCompare(b.name) || (a.id < b.id ? -1 : 1));
  }

  /** Id and current name of each member an item mentions, for renderMarkdown. */
  mentionTargets(item: Pick<ItemView, 'mentions'>): MentionTarget<MemberId>[] {
    const out: MentionTarget<MemberId>[] = [];
    for (const id of item.mentions) {
      const m = this.#index.members.get(id);
      if (m) out.push({ id, name: m.name });
    }
    return out;
  }

  // --- reads --------------------------------------------------------------------------------

  /** Live threads: pinned first, then by last activity, newest first. */
  threads(): ThreadView[] {
    return this.#topLevel(this.#index.threads) as ThreadView[];
  }

  /** Live posts: pinned first, then by last activity, newest first. */
  posts(): PostView[] {
    return this.#topLevel(this.#index.posts) as PostView[];
  }

  #topLevel(ids: Set<string>): (ThreadView | PostView)[] {
    const views: (ThreadView | PostView)[] = [];
    for (const id of ids) {
      const r = this.#index.records.get(id);
      if (r && !isTombstone(r)) views.push(itemView(this.#index, r) as ThreadView | PostView);
    }
    return views.sort(
      (a, b) =>
        Number(b.pinned) - Number(a.pinned) ||
        b.lastActivity - a.lastActivity ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
  }

  thread(id: string): ThreadView | undefined {
    const v = this.item(id);
    return v?.kind === 'thread' ? v : undefined;
  }

  post(id: string): PostView | undefined {
    const v = this.item(id);
    return v?.kind === 'post' ? v : undefined;
  }

  /** Any item by id, deleted ones included (as tombstones). */
  item(id: string): ItemView | undefined {
    const r = this.#index.records.get(id);
    return r ? itemView(this.#index, r) : undefined;
  }

  /** Replies of a thread, oldest first; deleted ones stay in place as tombstones. */
  replies(threadId: string): ReplyView[] {
    return this.#index
      .childStats(threadId, 'reply')
      .sorted.map((r) => itemView(this.#index, r) as ReplyView);
  }

  /** Comments of a post, oldest first; deleted ones stay in place as tombstones. */
  comments(postId: string): CommentView[] {
    return this.#index
      .childStats(postId, 'comment')
      .sorted.map((r) => itemView(this.#index, r) as CommentView);
  }

  /**
   * Live replies or comments under `parentId` created after `at` and not written by `me`,
   * for unread counts. Binary search over the sorted children, so cheap to call per thread.
   */
  countSince(parentId: string, at: number, me?: MemberId): number {
    const kind = this.#index.records.get(parentId)?.kind === 'post' ? 'comment' : 'reply';
    const sorted = this.#index.childStats(parentId, kind).sorted;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]!.createdAt <= at) lo = mid + 1;
      else hi = mid;
    }
    let n = 0;
    for (let i = lo; i < sorted.length; i++) {
      const r = sorted[i]!;
      if (!isTombstone(r) && r.author !== me) n++;
    }
    return n;
  }

  /** The newest live items of every kind, newest first (for a home feed). */
  recent(limit = 50): ItemView[] {
    return this.#index
      .timeline()
      .slice(0, limit)
      .map((r) => itemView(this.#index, r));
  }

  /** Who reacted with what, in the fixed emoji order. Shape-checked, not yet verified. */
  reactions(itemId: string): Map<Emoji, MemberId[]> {
    return this.#collectReactions(itemId, () => true);
  }

  #collectReactions(itemId: string, keep: (key: string) => boolean): Map<Emoji, MemberId[]> {
    const found = new Map<Emoji, { id: MemberId; at: number }[]>();
    for (const [key, r] of this.#index.reactionsOn(itemId)) {
      if (!r.on || !keep(key)) continue;
      const list = found.get(r.emoji) ?? [];
      list.push({ id: r.author, at: r.at });
      found.set(r.emoji, list);
    }
    const out = new Map<Emoji, MemberId[]>();
    for (const emoji of EMOJI) {
      const list = found.get(emoji);
      if (list)
        out.set(
          emoji,
          list.sort((a, b) => a.at - b.at).map((x) => x.id),
        );
    }
    return out;
  }

  // --- writes -------------------------------------------------------------------------------

  /** Starts a discussion thread; returns its id. */
  startThread(me: Me, input: { title: string; body: string }): string {
    this.#requireMember(me);
    const title = checkTitle(input.title);
    const body = checkBody(input.body, BODY_MAX_CHARS, true);
    return this.#create(me, { kind: 'thread', title, body, mentions: this.#mentionsIn(body) });
  }

  /** Replies to a thread, optionally quoting one of its replies; returns the reply's id. */
  reply(me: Me, threadId: string, body: string, quoteOf?: string): string {
    this.#requireMember(me);
    this.#requireLive(threadId, 'thread');
    const text = checkBody(body, BODY_MAX_CHARS, false);
    if (quoteOf !== undefined) this.#requireQuote(quoteOf, 'reply', 'threadId', threadId);
    return this.#create(me, {
      kind: 'reply',
      threadId,
      body: text,
      mentions: this.#mentionsIn(text),
      ...(quoteOf !== undefined ? { quoteOf } : {}),
    });
  }

  /** Publishes a long-form post; returns its id. */
  createPost(me: Me, input: { title: string; body: string }): string {
    this.#requireMember(me);
    const title = checkTitle(input.title);
    const body = checkBody(input.body, POST_BODY_MAX_CHARS, true);
    return this.#create(me, { kind: 'post', title, body, mentions: this.#mentionsIn(body) });
  }

  /** Comments on a post, optionally quoting one of its comments; returns the comment's id. */
  comment(me: Me, postId: string, body: string, quoteOf?: string): string {
    this.#requireMember(me);
    this.#requireLive(postId, 'post');
    const text = checkBody(body, BODY_MAX_CHARS, false);
    if (quoteOf !== undefined) this.#requireQuote(quoteOf, 'comment', 'postId', postId);
    return this.#create(me, {
      kind: 'comment',
      postId,
      body: text,
      mentions: this.#mentionsIn(text),
      ...(quoteOf !== undefined ? { quoteOf } : {}),
    });
  }

  /** Writes a new signed version of the caller's own item. `title` applies to threads and posts. */
  edit(me: Me, id: string, patch: { title?: string; body?: string }): void {
    this.#requireMember(me);
    const r = this.#requireOwn(me, id);
    if (isShared(r)) {
      throw new GroupError(
        'not-editable',
        'A shared post keeps its original words; it cannot be edited.',
      );
    }
    const hasTitle = r.kind === 'thread' || r.kind === 'post';
    if (patch.title !== undefined && !hasTitle) {
      throw new GroupError('wrong-kind', 'Only threads and posts have a title.');
    }
    const { sig: _sig, ...fields } = r as Exclude<ItemRecord, TombstoneRecord> & { body: string };
    const next: Record<string, unknown> = { ...fields, editedAt: this.#now() };
    if (patch.title !== undefined) next.title = checkTitle(patch.title);
    if (patch.body !== undefined) {
      const max = r.kind === 'post' ? POST_BODY_MAX_CHARS : BODY_MAX_CHARS;
      next.body = checkBody(patch.body, max, hasTitle);
      next.mentions = this.#mentionsIn(next.body as string);
    }
    this.doc.transact(() => this.#itemsMap.set(id, signRecord(me, this.id, next)));
  }

  /** Replaces the caller's own item with a signed tombstone. Deleting twice does nothing. */
  remove(me: Me, id: string): void {
    this.#requireMember(me);
    const r = this.#index.records.get(id);
    if (r && isTombstone(r) && r.author === me.id) return;
    this.#requireOwn(me, id);
    const parent = parentOf(r!);
    const tombstone: Omit<TombstoneRecord, 'sig'> = {
      kind: r!.kind,
      id,
      nonce: r!.nonce,
      author: r!.author,
      createdAt: r!.createdAt,
      deleted: true,
      deletedAt: this.#now(),
      ...(r!.kind === 'reply' ? { threadId: parent } : {}),
      ...(r!.kind === 'comment' ? { postId: parent } : {}),
    };
    this.doc.transact(() => this.#itemsMap.set(id, signRecord(me, this.id, tombstone)));
  }

  /** Adds the caller's reaction. Only 👍 ❤️ 😂 🎉 🤔 👀 are accepted. */
  react(me: Me, itemId: string, emoji: string): void {
    this.#setReaction(me, itemId, emoji, true);
  }

  /** Withdraws the caller's reaction. */
  unreact(me: Me, itemId: string, emoji: string): void {
    this.#setReaction(me, itemId, emoji, false);
  }

  #setReaction(me: Me, itemId: string, emoji: string, on: boolean): void {
    this.#requireMember(me);
    const e = emoji === '❤' ? '❤️' : emoji;
    if (!isEmoji(e))
      throw new GroupError('bad-emoji', `Reactions are limited to ${EMOJI.join(' ')}.`);
    this.#requireLive(itemId);
    const record = signRecord(me, this.id, {
      kind: 'reaction' as const,
      itemId,
      author: me.id,
      emoji: e,
      on,
      at: this.#now(),
    });
    this.doc.transact(() => this.#reactionsMap.set(reactionKey(itemId, me.id, e), record));
  }

  /** Pins or unpins a thread or post for everyone. Any member may. */
  pin(me: Me, itemId: string, pinned: boolean): void {
    this.#requireMember(me);
    const r = this.#requireLive(itemId);
    if (r.kind !== 'thread' && r.kind !== 'post') {
      throw new GroupError('wrong-kind', 'Only threads and posts can be pinned.');
    }
    const record = signRecord(me, this.id, {
      kind: 'pin' as const,
      itemId,
      author: me.id,
      pinned,
      at: this.#now(),
    });
    this.doc.transact(() => this.#pinsMap.set(itemId, record));
  }

  /** The post as another group's `addShared` needs it: the original signed record and where it came from. */
  shareSource(postId: string): ShareSource {
    const r = this.#requireLive(postId, 'post');
    if (isShared(r)) return r.sharedFrom;
    const author = this.#index.members.get(r.author);
    return {
      groupId: this.id,
      groupName: cleanName(this.info().name) ?? 'Unnamed group',
      authorName: author?.name ?? 'Unknown member',
      original: r as PostRecord,
    };
  }

  /** Adds a copy of a post from another group, signed by the sharer; returns the new id. */
  addShared(me: Me, source: ShareSource): string {
    this.#requireMember(me);
    return this.#create(me, { kind: 'post', sharedFrom: source });
  }

  #create(me: Me, fields: Record<string, unknown>): string {
    const nonce = newNonce();
    const id = deriveItemId(me.id, nonce);
    const record = signRecord(me, this.id, {
      ...fields,
      id,
      nonce,
      author: me.id,
      createdAt: this.#now(),
    });
    // Never write what our own readers would ignore (e.g. a hand-made share source).
    if (!parseItem(id, record)) {
      throw new GroupError(
        'bad-record',
        "This could not be saved: it does not fit the group's format.",
      );
    }
    this.doc.transact(() => this.#itemsMap.set(id, record));
    return id;
  }

  #mentionsIn(body: string): MemberId[] {
    if (!body.includes('@')) return [];
    const targets = [...this.#index.members.values()].map((m) => ({ id: m.id, name: m.name }));
    return findMentions(body, targets);
  }

  #requireMember(me: Me): void {
    if (!this.#index.members.has(me.id)) {
      throw new GroupError('not-a-member', 'Join this group before writing in it.');
    }
  }

  #requireLive(id: string, kind?: ItemKind): Exclude<ItemRecord, TombstoneRecord> {
    const r = this.#index.records.get(id);
    if (!r || (kind && r.kind !== kind)) {
      throw new GroupError('not-found', `That ${kind ?? 'item'} is not in this group.`);
    }
    if (isTombstone(r)) throw new GroupError('deleted', `That ${r.kind} was deleted.`);
    return r;
  }

  #requireOwn(me: Me, id: string): Exclude<ItemRecord, TombstoneRecord> {
    const r = this.#requireLive(id);
    if (r.author !== me.id) {
      throw new GroupError('not-author', 'Only its author can change or delete this.');
    }
    return r;
  }

  #requireQuote(id: string, kind: 'reply' | 'comment', field: string, parent: string): void {
    const r = this.#index.records.get(id) as Record<string, unknown> | undefined;
    if (!r || r.kind !== kind || r[field] !== parent) {
      throw new GroupError('bad-quote', `You can only quote a ${kind} from the same conversation.`);
    }
  }

  // --- verification ---------------------------------------------------------------------------

  /**
   * Checks signatures and membership for the given item ids (or member ids, whose records
   * are then checked alone). Results are cached, so calling it for what is on screen is cheap.
   */
  async verify(ids: Iterable<string>): Promise<Map<string, VerifyStatus>> {
    const checks: SignatureCheck[] = [];
    const memberCheck = new Map<MemberId, number>();
    const plans: { id: string; fixed?: VerifyStatus; own: number[]; author?: MemberId }[] = [];
    const add = (c: SignatureCheck | null): number => (c ? checks.push(c) - 1 : -1);
    const checkMember = (id: MemberId): number | undefined => {
      if (!memberCheck.has(id)) {
        const m = this.#index.members.get(id);
        memberCheck.set(id, m ? add(this.#check(id, this.id, m)) : -1);
      }
      return memberCheck.get(id);
    };
    for (const id of ids) {
      const member = isMemberId(id) ? this.#index.members.get(id) : undefined;
      if (member) {
        plans.push({ id, own: [checkMember(member.id)!] });
        continue;
      }
      const r = this.#index.records.get(id);
      if (!r) {
        plans.push({ id, fixed: 'unknown', own: [] });
        continue;
      }
      const own = [idMatches(r) ? add(this.#check(r.author, this.id, r)) : -1];
      if (isShared(r)) {
        const original = r.sharedFrom.original;
        own.push(
          idMatches(original)
            ? add(this.#check(original.author, r.sharedFrom.groupId, original))
            : -1,
        );
      }
      checkMember(r.author);
      plans.push({ id, own, author: r.author });
    }
    const results = await this.#verifier.verify(checks);
    const ok = (i: number | undefined): boolean => i !== undefined && i >= 0 && results[i] === true;
    const out = new Map<string, VerifyStatus>();
    for (const p of plans) {
      if (p.fixed) out.set(p.id, p.fixed);
      else if (!p.own.every(ok)) out.set(p.id, 'forged');
      else if (p.author && !ok(memberCheck.get(p.author))) out.set(p.id, 'not-a-member');
      else out.set(p.id, 'valid');
    }
    return out;
  }

  /** Like `reactions`, keeping only reactions validly signed by members. */
  async verifiedReactions(itemId: string): Promise<Map<Emoji, MemberId[]>> {
    const keys: string[] = [];
    const checks: SignatureCheck[] = [];
    for (const [key, r] of this.#index.reactionsOn(itemId)) {
      const m = this.#index.members.get(r.author);
      const a = this.#check(r.author, this.id, r);
      const b = m && this.#check(m.id, this.id, m);
      if (!r.on || !a || !b) continue;
      keys.push(key);
      checks.push(a, b);
    }
    const results = await this.#verifier.verify(checks);
    const good = new Set(keys.filter((_, i) => results[2 * i] && results[2 * i + 1]));
    return this.#collectReactions(itemId, (key) => good.has(key));
  }

  #check(signer: string, groupId: string, record: { sig: string }): SignatureCheck | null {
    try {
      return { signer, text: signedText(groupId, record), sig: record.sig };
    } catch {
      return null;
    }
  }

  // --- change tracking ----------------------------------------------------------------------

  /** Calls `cb` once per transaction that changed anything; returns the unsubscribe function. */
  onChange(cb: (change: GroupChange) => void): () => void {
    this.#listeners.add(cb);
    return () => {
      this.#listeners.delete(cb);
    };
  }

  #onTransaction = (tr: Y.Transaction): void => {
    const { items, members } = this.#index.apply(tr);
    const info =
      (tr.changed.get(this.#meta as unknown as Parameters<typeof tr.changed.get>[0])?.size ?? 0) >
      0;
    if (items.size === 0 && !members && !info) return;
    const change: GroupChange = { items, members, info };
    for (const listener of [...this.#listeners]) {
      try {
        listener(change);
      } catch (error) {
        this.#onListenerError(error);
      }
    }
  };
}

function idMatches(r: { id: string; author: MemberId; nonce: string }): boolean {
  try {
    return deriveItemId(r.author, r.nonce) === r.id;
  } catch {
    return false;
  }
}

function checkTitle(title: string): string {
  const clean = cleanName(title, TITLE_MAX_CHARS);
  if (clean === null) {
    throw new GroupError(
      title.trim() === '' ? 'empty' : 'too-long',
      `A title needs 1 to ${TITLE_MAX_CHARS} characters.`,
    );
  }
  return clean;
}

function checkBody(body: string, max: number, allowEmpty: boolean): string {
  const text = body.replace(/\s+$/u, '').replace(/^\s*\n/u, '');
  if (!allowEmpty && text.trim() === '') throw new GroupError('empty', 'Write something first.');
  if (text.length > max) {
    throw new GroupError('too-long', `This is too long: the limit is ${max} characters.`);
  }
  return text;
}

function checkAbout(about: string): string {
  const text = about.trim();
  if (countChars(text) > ABOUT_MAX_CHARS) {
    throw new GroupError(
      'too-long',
      `The description is limited to ${ABOUT_MAX_CHARS} characters.`,
    );
  }
  return text;
}
