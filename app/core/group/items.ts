// Authored items (threads, replies, posts, comments, and whatever features add) share one
// shape: an id bound to the author, versions only the author can write, and a signed
// tombstone that ends the item. This module gives features that shape as a kind factory
// and as write and read helpers, so each feature declares only its own fields.
import type { MemberId } from '../crypto/keys.ts';
import { cleanName } from '../text/displayName.ts';
import { findMentions } from '../text/mentions.ts';
import { deriveItemId, newNonce } from './canonical.ts';
import type { Group, Me, RecordStatus } from './Group.ts';
import { GroupError } from './GroupError.ts';
import type { RecordKind } from './RecordKind.ts';
import {
  isItemId,
  isMemberId,
  isNonce,
  isText,
  isTime,
  type Obj,
  type SignedRecord,
} from './records.ts';

export const TITLE_MAX_CHARS = 200;
export const BODY_MAX_CHARS = 20_000;
export const MENTIONS_MAX = 50;

export interface ItemRecord extends SignedRecord {
  readonly id: string;
  /** Random; the id is derived from author and nonce (see deriveItemId). */
  readonly nonce: string;
  /** When version 1 was written (every version repeats it). */
  readonly createdAt: number;
  /** A tombstone: the item's content is gone for good. */
  readonly deleted?: true;
}

/** Text an item carries: markdown body and the members it mentions. */
export interface ContentFields {
  readonly body: string;
  readonly mentions: readonly MemberId[];
}

export const isTombstone = (r: SignedRecord): boolean => (r as ItemRecord).deleted === true;

export const isTitle = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0 && isText(v, TITLE_MAX_CHARS * 2);

export const isContent = (o: Obj, bodyMax: number): boolean =>
  isText(o.body, bodyMax) &&
  Array.isArray(o.mentions) &&
  o.mentions.length <= MENTIONS_MAX &&
  o.mentions.every(isMemberId);

/**
 * Declares an item kind. `parentField` names the field that files it under another item
 * (kept on its tombstone, so a thread keeps its shape); `parseLive` checks the kind's own
 * fields of a live version.
 */
export function itemKind<R extends ItemRecord>(spec: {
  kind: string;
  parentField?: string;
  parseLive(o: Obj): boolean;
  extraChecks?: RecordKind<R>['extraChecks'];
}): RecordKind<R> {
  const parentOf = (r: R): string | undefined =>
    spec.parentField ? ((r as unknown as Obj)[spec.parentField] as string) : undefined;
  return {
    kind: spec.kind,
    parse(o) {
      if (!isItemId(o.id) || !isNonce(o.nonce) || !isTime(o.createdAt)) return null;
      if (spec.parentField && !isItemId(o[spec.parentField])) return null;
      if (o.deleted !== undefined) {
        const allowed = new Set([
          'kind',
          'author',
          'v',
          'at',
          'sig',
          'id',
          'nonce',
          'createdAt',
          'deleted',
        ]);
        if (spec.parentField) allowed.add(spec.parentField);
        return o.deleted === true && Object.keys(o).every((k) => allowed.has(k))
          ? (o as unknown as R)
          : null;
      }
      return spec.parseLive(o) ? (o as unknown as R) : null;
    },
    slot: (r) => r.id,
    touches: (r) => {
      const parent = parentOf(r);
      return parent === undefined ? [r.id] : [r.id, parent];
    },
    ...(spec.parentField ? { parent: parentOf } : {}),
    final: (r) => r.deleted === true,
    bound: (r) => {
      try {
        return deriveItemId(r.author, r.nonce) === r.id;
      } catch {
        return false;
      }
    },
    ...(spec.extraChecks ? { extraChecks: spec.extraChecks } : {}),
  };
}

// --- writes -------------------------------------------------------------------------------------

/** Writes version 1 of a new item of `kind`; returns its id. */
export function createItem(group: Group, me: Me, kind: string, fields: Obj): string {
  group.requireMember(me);
  const nonce = newNonce();
  const id = deriveItemId(me.id, nonce);
  group.write(me, kind, { ...fields, id, nonce, createdAt: group.now() });
  return id;
}

/** Writes the next version of the caller's own item with `patch` applied. */
export function editItem(group: Group, me: Me, id: string, patch: Obj): void {
  group.requireMember(me);
  const r = requireOwn(group, me, id);
  const { kind, author: _a, v: _v, at: _at, sig: _s, ...fields } = r as unknown as Obj;
  group.write(me, kind as string, { ...fields, ...patch });
}

/** Ends the caller's own item with a signed tombstone; deleting twice does nothing. */
export function removeItem(group: Group, me: Me, id: string, parentField?: string): void {
  group.requireMember(me);
  const done = group.trusted<ItemRecord>(id, me);
  if (done && isTombstone(done) && done.author === me.id) return;
  const r = requireOwn(group, me, id);
  const parent = parentField ? (r as unknown as Obj)[parentField] : undefined;
  group.write(me, r.kind, {
    id,
    nonce: r.nonce,
    createdAt: r.createdAt,
    deleted: true,
    ...(parentField ? { [parentField]: parent } : {}),
  });
}

/** The live head of item `id` (of `kind`, when given), or a plain-words error. */
export function requireLive<R extends ItemRecord>(group: Group, id: string, kind?: string): R {
  const r = group.head<R>(id);
  if (!r || (kind && r.kind !== kind)) {
    throw new GroupError('not-found', `That ${kind ?? 'item'} is not in this group.`);
  }
  if (isTombstone(r)) throw new GroupError('deleted', `That ${r.kind} was deleted.`);
  return r;
}

/**
 * The caller's own live item, as the newest version this device knows to be genuine: what
 * the author signs next builds on it, never on a version still being checked.
 */
export function requireOwn<R extends ItemRecord>(group: Group, me: Me, id: string): R {
  const r = group.trusted<R>(id, me);
  if (!r) {
    requireLive(group, id);
    throw new GroupError('not-author', 'This is not known to be yours yet; try again in a moment.');
  }
  if (isTombstone(r)) throw new GroupError('deleted', `That ${r.kind} was deleted.`);
  if (r.author !== me.id)
    throw new GroupError('not-author', 'Only its author can change or delete this.');
  return r;
}

export function checkTitle(title: string): string {
  const clean = cleanName(title, TITLE_MAX_CHARS);
  if (clean === null) {
    throw new GroupError(
      title.trim() === '' ? 'empty' : 'too-long',
      `A title needs 1 to ${TITLE_MAX_CHARS} characters.`,
    );
  }
  return clean;
}

export function checkBody(body: string, max: number, allowEmpty: boolean): string {
  const text = body.replace(/\s+$/u, '').replace(/^\s*\n/u, '');
  if (!allowEmpty && text.trim() === '') throw new GroupError('empty', 'Write something first.');
  if (text.length > max) {
    throw new GroupError('too-long', `This is too long: the limit is ${max} characters.`);
  }
  return text;
}

/** The members a body mentions with `@name`. */
export function mentionsIn(group: Group, body: string): MemberId[] {
  if (!body.includes('@')) return [];
  return findMentions(
    body,
    group.members().map((m) => ({ id: m.id, name: m.name })),
  );
}

// --- reads --------------------------------------------------------------------------------------

/** What every item view carries. */
export interface ItemViewBase {
  readonly id: string;
  readonly author: MemberId;
  /** The author's current name, or null when they have no member record here. */
  readonly authorName: string | null;
  readonly createdAt: number;
  readonly editedAt?: number;
  /** A tombstone: title and body are empty. */
  readonly deleted: boolean;
  /** Whether what is shown is checked to be the author's own words. */
  readonly status: RecordStatus;
  readonly body: string;
  readonly mentions: readonly MemberId[];
}

export function itemViewBase(group: Group, r: ItemRecord): ItemViewBase {
  const deleted = isTombstone(r);
  const content = r as unknown as Partial<ContentFields>;
  return {
    id: r.id,
    author: r.author,
    authorName: group.memberName(r.author),
    createdAt: group.time(r, r.createdAt),
    ...(r.v > 1 && !deleted ? { editedAt: group.time(r) } : {}),
    deleted,
    status: group.status(r),
    body: deleted ? '' : (content.body ?? ''),
    mentions: deleted ? [] : (content.mentions ?? []),
  };
}

/** The children of `parent` of `kind` (tombstones included), oldest first; cached. */
export function childrenOf<R extends ItemRecord>(
  group: Group,
  parent: string,
  kind: string,
): readonly R[] {
  return group.memo(`children:${kind}:${parent}`, [parent, 'kind:member'], () => {
    const out: R[] = [];
    for (const slot of group.childrenOf(parent)) {
      const r = group.head<R>(slot);
      if (r?.kind === kind && (r as unknown as Obj).id === slot) out.push(r);
    }
    return out.sort(
      (a, b) =>
        group.time(a, a.createdAt) - group.time(b, b.createdAt) ||
        (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    );
  });
}

/** Live children not written by `me` created after `at`, for unread counts (binary search). */
export function countChildrenSince(
  group: Group,
  parent: string,
  kind: string,
  at: number,
  me?: MemberId,
): number {
  // Most items have no answers: no list to build (and cache) for them.
  if (group.childrenOf(parent).size === 0) return 0;
  const sorted = childrenOf(group, parent, kind);
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const r = sorted[mid]!;
    if (group.time(r, r.createdAt) <= at) lo = mid + 1;
    else hi = mid;
  }
  let n = 0;
  for (let i = lo; i < sorted.length; i++) {
    const r = sorted[i]!;
    if (!isTombstone(r) && r.author !== me) n++;
  }
  return n;
}

/** A top-level item with what its live answers add: how many, and the newest activity. */
export interface Summary<R extends ItemRecord> {
  readonly record: R;
  readonly lastActivity: number;
  readonly children: number;
}

/** Counts the live answers of `r` (of `childKind`) and its last activity. */
export function summarize<R extends ItemRecord>(group: Group, r: R, childKind: string): Summary<R> {
  let last = group.time(r, r.createdAt);
  let children = 0;
  // Most items have no answers: skip building (and caching) an empty list for them.
  if (group.childrenOf(r.id).size > 0) {
    for (const c of childrenOf(group, r.id, childKind)) {
      if (isTombstone(c)) continue;
      children++;
      last = Math.max(last, group.time(c, c.createdAt));
    }
  }
  return { record: r, lastActivity: last, children };
}

/** The item `id` if its current version is of `kind`, summarized. */
export function summaryOf<R extends ItemRecord>(
  group: Group,
  id: string,
  kind: string,
  childKind: string,
): Summary<R> | undefined {
  const r = group.head<R>(id);
  return r?.kind === kind ? summarize(group, r, childKind) : undefined;
}

/** Live top-level items of `kind` with their last activity (own or a live child's creation). */
export function topLevel<R extends ItemRecord>(
  group: Group,
  kind: string,
  childKind: string,
): readonly Summary<R>[] {
  return group.memo(`top:${kind}`, [`kind:${kind}`, `kind:${childKind}`, 'kind:member'], () => {
    const out: Summary<R>[] = [];
    for (const slot of group.slotsOf(kind)) {
      const r = group.head<R>(slot);
      if (r && r.kind === kind && !isTombstone(r)) out.push(summarize(group, r, childKind));
    }
    return out.sort(
      (a, b) => b.lastActivity - a.lastActivity || (a.record.id < b.record.id ? -1 : 1),
    );
  });
}
