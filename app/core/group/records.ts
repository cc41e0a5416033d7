// The signed records a group document holds, and the guards that admit them. Everything in
// the document may come from a hostile peer, so every read goes through these guards:
// a record of the wrong shape is ignored, never trusted and never a crash.
import type { MemberId } from '../crypto/keys.ts';
import { isCleanName, NAME_MAX_CHARS } from '../text/displayName.ts';

export const SCHEMA_VERSION = 1;

export const EMOJI = ['👍', '❤️', '😂', '🎉', '🤔', '👀'] as const;
export type Emoji = (typeof EMOJI)[number];

export const TITLE_MAX_CHARS = 200;
export const BODY_MAX_CHARS = 20_000;
export const POST_BODY_MAX_CHARS = 100_000;
export const ABOUT_MAX_CHARS = 2_000;
export const MENTIONS_MAX = 50;
const MAX_FIELDS = 16;

export type ItemKind = 'thread' | 'reply' | 'post' | 'comment';

interface Signed {
  readonly sig: string;
}

/** Self-signed by the member (`id` is the signer). Rewritten to change the name. */
export interface MemberRecord extends Signed {
  readonly kind: 'member';
  readonly id: MemberId;
  readonly name: string;
  /** base64url of the member's x25519 box public key. */
  readonly boxKey: string;
  readonly joinedAt: number;
  readonly invitedBy?: MemberId;
}

interface ItemBase extends Signed {
  readonly id: string;
  /** Random; the id is derived from author and nonce (see deriveItemId). */
  readonly nonce: string;
  readonly author: MemberId;
  readonly createdAt: number;
  readonly editedAt?: number;
}

interface Content {
  readonly body: string;
  readonly mentions: readonly MemberId[];
}

export interface ThreadRecord extends ItemBase, Content {
  readonly kind: 'thread';
  readonly title: string;
}
export interface ReplyRecord extends ItemBase, Content {
  readonly kind: 'reply';
  readonly threadId: string;
  readonly quoteOf?: string;
}
export interface PostRecord extends ItemBase, Content {
  readonly kind: 'post';
  readonly title: string;
}
export interface CommentRecord extends ItemBase, Content {
  readonly kind: 'comment';
  readonly postId: string;
  readonly quoteOf?: string;
}

/** A post copied from another group: the original record travels whole, with its signature. */
export interface SharedFrom {
  readonly groupId: string;
  readonly groupName: string;
  readonly authorName: string;
  readonly original: PostRecord;
}
export interface SharedPostRecord extends ItemBase {
  readonly kind: 'post';
  readonly sharedFrom: SharedFrom;
}

/** What is left of a deleted item: who, when, and where it sat (so threads keep their shape). */
export interface TombstoneRecord extends ItemBase {
  readonly kind: ItemKind;
  readonly deleted: true;
  readonly deletedAt: number;
  readonly threadId?: string;
  readonly postId?: string;
}

export type LiveItemRecord =
  | ThreadRecord
  | ReplyRecord
  | PostRecord
  | CommentRecord
  | SharedPostRecord;
export type ItemRecord = LiveItemRecord | TombstoneRecord;

/** Stored under `${itemId}|${author}|${emoji}`; `on: false` withdraws the reaction. */
export interface ReactionRecord extends Signed {
  readonly kind: 'reaction';
  readonly itemId: string;
  readonly author: MemberId;
  readonly emoji: Emoji;
  readonly on: boolean;
  readonly at: number;
}

/** Stored under the pinned item's id; any member may pin or unpin. */
export interface PinRecord extends Signed {
  readonly kind: 'pin';
  readonly itemId: string;
  readonly author: MemberId;
  readonly pinned: boolean;
  readonly at: number;
}

// --- guards -------------------------------------------------------------------------------

type Obj = Record<string, unknown>;

const B64 = /^[A-Za-z0-9_-]+$/;
const isB64 = (v: unknown, length: number): v is string =>
  typeof v === 'string' && v.length === length && B64.test(v);

export const isItemId = (v: unknown): v is string => isB64(v, 16);
export const isMemberId = (v: unknown): v is MemberId => isB64(v, 43);
export const isGroupIdText = (v: unknown): v is string => isB64(v, 22);
const isNonce = (v: unknown): v is string => isB64(v, 11);
const isSig = (v: unknown): v is string => isB64(v, 86);
const isTime = (v: unknown): v is number =>
  typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isText = (v: unknown, max: number): v is string => typeof v === 'string' && v.length <= max;
const optional = <T>(v: unknown, guard: (x: unknown) => x is T): boolean =>
  v === undefined || guard(v);

export const isEmoji = (v: unknown): v is Emoji =>
  typeof v === 'string' && (EMOJI as readonly string[]).includes(v);

function asObject(v: unknown): Obj | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return null;
  if (Object.keys(v).length > MAX_FIELDS) return null;
  return v as Obj;
}

function isMentions(v: unknown): v is MemberId[] {
  return Array.isArray(v) && v.length <= MENTIONS_MAX && v.every(isMemberId);
}

function isItemBase(o: Obj): boolean {
  return (
    isItemId(o.id) &&
    isNonce(o.nonce) &&
    isMemberId(o.author) &&
    isTime(o.createdAt) &&
    optional(o.editedAt, isTime) &&
    isSig(o.sig)
  );
}

function isContent(o: Obj, bodyMax: number): boolean {
  return isText(o.body, bodyMax) && isMentions(o.mentions);
}

const isTitle = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0 && isText(v, TITLE_MAX_CHARS * 2);

function isLivePost(o: Obj): boolean {
  return (
    o.kind === 'post' &&
    o.deleted === undefined &&
    o.sharedFrom === undefined &&
    isItemBase(o) &&
    isTitle(o.title) &&
    isContent(o, POST_BODY_MAX_CHARS)
  );
}

function isSharedFrom(v: unknown): v is SharedFrom {
  const o = asObject(v);
  if (!o) return false;
  const original = asObject(o.original);
  return (
    isGroupIdText(o.groupId) &&
    isCleanName(o.groupName) &&
    isCleanName(o.authorName, NAME_MAX_CHARS) &&
    original !== null &&
    isLivePost(original)
  );
}

/** The record stored under `key` in the items map, or null when it is not a valid item. */
export function parseItem(key: string, value: unknown): ItemRecord | null {
  const o = asObject(value);
  if (!o || o.id !== key || !isItemBase(o)) return null;
  if (o.deleted !== undefined) {
    if (o.deleted !== true || !isTime(o.deletedAt)) return null;
    if (o.body !== undefined || o.title !== undefined || o.sharedFrom !== undefined) return null;
    if (o.kind === 'reply' && !isItemId(o.threadId)) return null;
    if (o.kind === 'comment' && !isItemId(o.postId)) return null;
    if (o.kind !== 'thread' && o.kind !== 'reply' && o.kind !== 'post' && o.kind !== 'comment') {
      return null;
    }
    return o as unknown as TombstoneRecord;
  }
  switch (o.kind) {
    case 'thread':
      return isTitle(o.title) && isContent(o, BODY_MAX_CHARS)
        ? (o as unknown as ThreadRecord)
        : null;
    case 'reply':
      return isItemId(o.threadId) && optional(o.quoteOf, isItemId) && isContent(o, BODY_MAX_CHARS)
        ? (o as unknown as ReplyRecord)
        : null;
    case 'post':
      if (o.sharedFrom !== undefined) {
        return o.title === undefined && o.body === undefined && isSharedFrom(o.sharedFrom)
          ? (o as unknown as SharedPostRecord)
          : null;
      }
      return isLivePost(o) ? (o as unknown as PostRecord) : null;
    case 'comment':
      return isItemId(o.postId) && optional(o.quoteOf, isItemId) && isContent(o, BODY_MAX_CHARS)
        ? (o as unknown as CommentRecord)
        : null;
    default:
      return null;
  }
}

export function parseMember(key: string, value: unknown): MemberRecord | null {
  const o = asObject(value);
  if (o?.kind !== 'member' || o.id !== key || !isMemberId(o.id)) return null;
  if (!isCleanName(o.name) || !isB64(o.boxKey, 43) || !isTime(o.joinedAt) || !isSig(o.sig)) {
    return null;
  }
  return optional(o.invitedBy, isMemberId) ? (o as unknown as MemberRecord) : null;
}

export const reactionKey = (itemId: string, author: MemberId, emoji: Emoji): string =>
  `${itemId}|${author}|${emoji}`;

export function parseReaction(key: string, value: unknown): ReactionRecord | null {
  const o = asObject(value);
  if (o?.kind !== 'reaction' || !isItemId(o.itemId) || !isMemberId(o.author)) return null;
  if (!isEmoji(o.emoji) || typeof o.on !== 'boolean' || !isTime(o.at) || !isSig(o.sig)) {
    return null;
  }
  return key === reactionKey(o.itemId, o.author, o.emoji) ? (o as unknown as ReactionRecord) : null;
}

export function parsePin(key: string, value: unknown): PinRecord | null {
  const o = asObject(value);
  if (o?.kind !== 'pin' || o.itemId !== key || !isItemId(o.itemId)) return null;
  if (!isMemberId(o.author) || typeof o.pinned !== 'boolean' || !isTime(o.at) || !isSig(o.sig)) {
    return null;
  }
  return o as unknown as PinRecord;
}

export const isTombstone = (r: ItemRecord): r is TombstoneRecord =>
  (r as TombstoneRecord).deleted === true;
export const isShared = (r: ItemRecord): r is SharedPostRecord =>
  (r as SharedPostRecord).sharedFrom !== undefined && !isTombstone(r);
