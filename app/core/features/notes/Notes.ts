// Notes: collaborative pages. This facade is the group document's side of them, the index:
// which notes exist, their titles (renamed by anyone, each rename a signed record), the
// revision records editors sign (who, when, a hash of the text they saw, the titles it
// links to), and from those the backlinks and the posts and threads that cite a note. The
// text itself lives in each note's own encrypted document (NoteDocs.ts), opened on demand.
import nacl from 'tweetnacl';
import { toBase64Url, utf8 } from '../../crypto/bytes.ts';
import type { MemberId } from '../../crypto/keys.ts';
import type { Group, Me, RecordStatus } from '../../group/Group.ts';
import { GroupError } from '../../group/GroupError.ts';
import {
  checkTitle,
  childrenOf,
  createItem,
  type ItemRecord,
  isTombstone,
  removeItem,
  requireLive,
  TITLE_MAX_CHARS,
  topLevel,
} from '../../group/items.ts';
import { readName } from '../../group/members.ts';
import {
  type ActivityItem,
  activityOf,
  type Feature,
  newestOf,
  type Place,
  type SearchDoc,
  searchDocsOf,
} from '../Feature.ts';
import { parseLinks, titleKey } from './links.ts';
import {
  NOTE_MAX_CHARS,
  type NoteRecord,
  type NoteRevRecord,
  type NoteTitleRecord,
} from './records.ts';

export interface NoteView {
  readonly id: string;
  readonly title: string;
  /** Who made the note. */
  readonly author: MemberId;
  readonly authorName: string | null;
  readonly createdAt: number;
  readonly status: RecordStatus;
  /** Titles the note had before, newest first: links written with them still lead here. */
  readonly formerTitles: readonly string[];
  /** The newest revision record, if anyone has signed one. */
  readonly lastRevision?: RevisionView;
  readonly revisions: number;
  readonly lastActivity: number;
}

export interface RevisionView {
  readonly id: string;
  readonly author: MemberId;
  readonly authorName: string | null;
  readonly at: number;
  readonly hash: string;
  readonly chars: number;
  readonly links: readonly string[];
  readonly status: RecordStatus;
}

/** A thread, reply, post or comment whose text links to a note with `[[title]]`. */
export interface Citation {
  readonly id: string;
  readonly kind: string;
  readonly author: MemberId;
  readonly authorName: string | null;
  readonly createdAt: number;
  readonly status: RecordStatus;
  /** "Thread “Seed swap”", "Comment on “Plan”". */
  readonly label: string;
  readonly place: Place;
}

/** What a `[[title]]` leads to: a note's id and current title, or nothing yet. */
export interface LinkTarget {
  readonly noteId?: string;
  readonly title: string;
}

// This feature's own refusal code (see FeatureErrorCodes).
declare module '../../group/GroupError.ts' {
  interface FeatureErrorCodes {
    'title-taken': true;
  }
}

/** The hash a revision record carries: SHA-512 over the text's UTF-8, first 32 bytes. */
export function textHash(text: string): string {
  return toBase64Url(nacl.hash(utf8(text)).subarray(0, 32));
}

/** Records whose bodies may cite notes, and where each is shown. */
const CITING: Readonly<
  Record<string, { parent?: string; parentKind?: string; route: string; param: string }>
> = {
  thread: { route: 'thread', param: 'threadId' },
  reply: { parent: 'threadId', parentKind: 'thread', route: 'thread', param: 'threadId' },
  post: { route: 'post', param: 'postId' },
  comment: { parent: 'postId', parentKind: 'post', route: 'post', param: 'postId' },
};

const byTimeThenId =
  (group: Group) =>
  (a: ItemRecord, b: ItemRecord): number =>
    group.time(b, b.createdAt) - group.time(a, a.createdAt) || (a.id < b.id ? -1 : 1);

export class Notes implements Feature {
  /**
   * The text of a note as this device holds it in memory (notes opened this session), for
   * search; set by the group's runtime (NoteDocs), none by default.
   */
  textOf: (noteId: string) => string | undefined = () => undefined;

  constructor(readonly group: Group) {}

  /** Titles of live notes, and the text of those this device has opened. */
  searchable(ids?: ReadonlySet<string>): SearchDoc[] {
    return searchDocsOf<NoteRecord>(this.group, ['note'], ids, (r) => {
      const v = this.note(r.id);
      return v
        ? {
            id: v.id,
            kind: 'note',
            title: v.title,
            text: this.textOf(v.id) ?? '',
            author: v.author,
            authorName: v.authorName,
            createdAt: v.createdAt,
            place: { route: 'note', params: { groupId: this.group.id, noteId: v.id } },
          }
        : null;
    });
  }

  /** Live notes, most recently edited first. */
  notes(): NoteView[] {
    return this.#top().map((n) => this.#view(n.record, n.lastActivity));
  }

  noteIds(): string[] {
    return this.#top().map((n) => n.record.id);
  }

  note(id: string): NoteView | undefined {
    const r = this.group.head<NoteRecord>(id);
    if (r?.kind !== 'note' || isTombstone(r)) return undefined;
    const last = this.#revs(id).at(-1);
    return this.#view(r, last ? this.group.time(last, last.createdAt) : r.createdAt);
  }

  /** The note a `[[title]]` means: a current title first, then a former one; newest wins. */
  resolve(title: string): string | undefined {
    const key = titleKey(title);
    const t = this.#titles();
    return t.current.get(key) ?? t.former.get(key);
  }

  linkTarget(title: string): LinkTarget {
    const noteId = this.resolve(title);
    const note = noteId ? this.note(noteId) : undefined;
    return note ? { noteId: note.id, title: note.title } : { title };
  }

  /** Notes whose title contains what is typed (starts-with first), for `[[` autocomplete. */
  titleCandidates(query: string, limit = 8): { id: string; title: string }[] {
    const q = titleKey(query);
    const all = this.notes().map((n) => ({ id: n.id, title: n.title, key: titleKey(n.title) }));
    const hits = all.filter((n) => n.key.includes(q));
    hits.sort((a, b) => Number(!a.key.startsWith(q)) - Number(!b.key.startsWith(q)));
    return hits.slice(0, limit).map(({ id, title }) => ({ id, title }));
  }

  /** The notes whose newest revision links here, by any title this note has had. */
  backlinks(id: string): NoteView[] {
    return this.noteIds()
      .filter((other) => {
        if (other === id) return false;
        const rev = this.#revs(other).at(-1);
        return rev?.links?.some((t) => this.resolve(t) === id) ?? false;
      })
      .flatMap((other) => this.note(other) ?? []);
  }

  /** Threads, replies, posts and comments that link to this note, newest first. */
  citedBy(id: string): Citation[] {
    return this.#citations().flatMap((c) =>
      c.titles.some((t) => this.resolve(t) === id) ? [c.view] : [],
    );
  }

  /** Revision records of a note, newest first. */
  revisions(id: string): RevisionView[] {
    return this.#revs(id)
      .filter((r) => !isTombstone(r))
      .map((r) => this.#revView(r))
      .reverse();
  }

  /** Whether `text` is exactly what the revision's signer saw. */
  matches(rev: Pick<RevisionView, 'hash' | 'chars'>, text: string): boolean {
    return rev.chars === text.length && rev.hash === textHash(text);
  }

  recent(limit: number): ActivityItem[] {
    return newestOf(
      this.#top(),
      (n) => {
        const view = this.#view(n.record, n.lastActivity);
        const place = { route: 'note', params: { groupId: this.group.id, noteId: view.id } };
        return [
          { ...activityOf(view), action: `started the note “${view.title}”`, place },
          ...this.revisions(view.id)
            .slice(0, 3)
            .map((r) => ({
              ...activityOf({ ...r, createdAt: r.at }),
              action: `edited the note “${view.title}”`,
              place,
            })),
        ];
      },
      limit,
    );
  }

  /** Starts a note; returns its id. A title another note already has is refused. */
  createNote(me: Me, title: string): string {
    const clean = checkTitle(title);
    this.#refuseTaken(clean);
    return createItem(this.group, me, 'note', { title: clean });
  }

  /** The note a `[[title]]` leads to, started now when there is none yet; returns its id. */
  ensureNote(me: Me, title: string): string {
    return this.resolve(title) ?? this.createNote(me, title);
  }

  /** Gives a note a new title (any member may); links written with older titles still work. */
  rename(me: Me, id: string, title: string): void {
    requireLive<NoteRecord>(this.group, id, 'note');
    const clean = checkTitle(title);
    if (titleKey(clean) === titleKey(this.note(id)?.title ?? '')) return;
    this.#refuseTaken(clean, id);
    createItem(this.group, me, 'note-title', { note: id, title: clean });
  }

  /**
   * Signs what this member saw of a note's text: its hash, length and links. Nothing is
   * written when the newest revision already says the same; returns the record's id if one was.
   */
  recordRevision(me: Me, id: string, text: string): string | undefined {
    requireLive<NoteRecord>(this.group, id, 'note');
    if (text.length > NOTE_MAX_CHARS) {
      throw new GroupError('too-long', `A note holds at most ${NOTE_MAX_CHARS} characters.`);
    }
    const hash = textHash(text);
    const last = this.#revs(id).at(-1);
    if (last?.hash === hash && last.author === me.id) return undefined;
    return createItem(this.group, me, 'note-rev', {
      note: id,
      hash,
      chars: text.length,
      links: parseLinks(text),
    });
  }

  /** Deletes a note from the index (its author only); its text stays where it was stored. */
  remove(me: Me, id: string): void {
    removeItem(this.group, me, id);
  }

  #refuseTaken(title: string, except?: string): void {
    const holder = this.#titles().current.get(titleKey(title));
    if (holder !== undefined && holder !== except) {
      throw new GroupError('title-taken', `There is a note called “${title}” already.`);
    }
  }

  #top() {
    return topLevel<NoteRecord>(this.group, 'note', 'note-rev');
  }

  #revs(id: string): readonly NoteRevRecord[] {
    return childrenOf<NoteRevRecord>(this.group, id, 'note-rev');
  }

  /** Each live note's title history, newest first: its first title and its renames. */
  #history(id: string): string[] {
    const r = this.group.head<NoteRecord>(id);
    if (r?.kind !== 'note' || isTombstone(r) || r.title === undefined) return [];
    const renames = [...childrenOf<NoteTitleRecord>(this.group, id, 'note-title')].filter(
      (t) => !isTombstone(t) && t.title !== undefined,
    );
    const all: ItemRecord[] = [r, ...renames];
    all.sort(byTimeThenId(this.group));
    return all.map((x) => readName((x as NoteRecord).title ?? '', 'Untitled', TITLE_MAX_CHARS));
  }

  /** Title keys to note ids: current titles, and former ones. Newer notes win ties. */
  #titles(): { current: Map<string, string>; former: Map<string, string> } {
    return this.group.memo('notes:titles', ['kind:note', 'kind:note-title'], () => {
      const current = new Map<string, string>();
      const former = new Map<string, string>();
      // Oldest first, so that a newer note's claim on a title replaces an older one's.
      const ids = this.#top()
        .map((n) => n.record)
        .sort((a, b) => -byTimeThenId(this.group)(a, b))
        .map((r) => r.id);
      for (const id of ids) {
        const [now, ...before] = this.#history(id);
        if (now !== undefined) current.set(titleKey(now), id);
        for (const t of before) former.set(titleKey(t), id);
      }
      return { current, former };
    });
  }

  #citations(): { titles: string[]; view: Citation }[] {
    const kinds = Object.keys(CITING);
    return this.group.memo(
      'notes:citations',
      [...kinds.map((k) => `kind:${k}`), 'kind:member'],
      () => {
        const out: { titles: string[]; view: Citation }[] = [];
        for (const kind of kinds) {
          const how = CITING[kind]!;
          for (const slot of this.group.slotsOf(kind)) {
            const r = this.group.head<ItemRecord & { body?: string; title?: string }>(slot);
            if (r?.kind !== kind || isTombstone(r) || !r.body?.includes('[[')) continue;
            const titles = parseLinks(r.body);
            if (titles.length === 0) continue;
            const parentId = how.parent
              ? (r as unknown as Record<string, string>)[how.parent]!
              : r.id;
            const parent = this.group.head<ItemRecord & { title?: string }>(parentId);
            const parentTitle = readName(parent?.title ?? '', 'Untitled', TITLE_MAX_CHARS);
            const label = how.parent
              ? `${kind === 'reply' ? 'Reply in' : 'Comment on'} “${parentTitle}”`
              : `${kind === 'thread' ? 'Thread' : 'Post'} “${parentTitle}”`;
            out.push({
              titles,
              view: {
                ...activityOf({
                  id: r.id,
                  author: r.author,
                  authorName: this.group.memberName(r.author),
                  createdAt: this.group.time(r, r.createdAt),
                  status: this.group.status(r),
                }),
                kind,
                label,
                place: {
                  route: how.route,
                  params: { groupId: this.group.id, [how.param]: parentId },
                },
              },
            });
          }
        }
        return out.sort((a, b) => b.view.createdAt - a.view.createdAt);
      },
    );
  }

  #revView(r: NoteRevRecord): RevisionView {
    return {
      id: r.id,
      author: r.author,
      authorName: this.group.memberName(r.author),
      at: this.group.time(r, r.createdAt),
      hash: r.hash ?? '',
      chars: r.chars ?? 0,
      links: r.links ?? [],
      status: this.group.status(r),
    };
  }

  #view(r: NoteRecord, lastActivity: number): NoteView {
    const [title, ...formerTitles] = this.#history(r.id);
    const revs = this.#revs(r.id).filter((x) => !isTombstone(x));
    const last = revs.at(-1);
    return {
      id: r.id,
      title: title ?? 'Untitled',
      author: r.author,
      authorName: this.group.memberName(r.author),
      createdAt: this.group.time(r, r.createdAt),
      status: this.group.status(r),
      formerTitles,
      ...(last ? { lastRevision: this.#revView(last) } : {}),
      revisions: revs.length,
      lastActivity,
    };
  }
}
