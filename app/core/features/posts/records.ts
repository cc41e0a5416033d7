// Posts are long-form markdown with comments. A post shared from another group carries the
// original signed record whole, so readers here can still check it is the author's words;
// the sharer signs the wrapper saying who shared it and from where.
import { deriveItemId } from '../../group/canonical.ts';
import {
  BODY_MAX_CHARS,
  type ContentFields,
  type ItemRecord,
  isContent,
  isTitle,
  itemKind,
} from '../../group/items.ts';
import {
  asObject,
  isGroupIdText,
  isItemId,
  isNonce,
  isText,
  isTime,
  type Obj,
  optional,
  parseEnvelope,
} from '../../group/records.ts';
import { NAME_MAX_CHARS } from '../../text/displayName.ts';

export const POST_BODY_MAX_CHARS = 100_000;

export interface PostRecord extends ItemRecord, Partial<ContentFields> {
  readonly kind: 'post';
  readonly title?: string;
  readonly sharedFrom?: SharedFrom;
}

/** Where a shared post came from; names are the sharer's claim and cleaned on read. */
export interface SharedFrom {
  readonly groupId: string;
  readonly groupName: string;
  readonly authorName: string;
  /** The original post record, as signed in its own group. */
  readonly original: PostRecord;
}

export interface CommentRecord extends ItemRecord, Partial<ContentFields> {
  readonly kind: 'comment';
  readonly postId: string;
  readonly quoteOf?: string;
}

const isLivePost = (o: Obj): boolean =>
  o.sharedFrom === undefined && isTitle(o.title) && isContent(o, POST_BODY_MAX_CHARS);

function isSharedFrom(v: unknown): boolean {
  const o = asObject(v);
  if (!o || !isGroupIdText(o.groupId)) return false;
  if (!isText(o.groupName, NAME_MAX_CHARS * 4) || !isText(o.authorName, NAME_MAX_CHARS * 4))
    return false;
  const original = asObject(o.original);
  const env =
    original && typeof original.sig === 'string' ? parseEnvelope(original.sig, original) : null;
  return (
    env !== null &&
    env.kind === 'post' &&
    env.deleted === undefined &&
    isItemId(env.id) &&
    isNonce(env.nonce) &&
    isTime(env.createdAt) &&
    isLivePost(env)
  );
}

export const postKind = itemKind<PostRecord>({
  kind: 'post',
  parseLive: (o) =>
    o.sharedFrom === undefined
      ? isLivePost(o)
      : o.title === undefined && o.body === undefined && isSharedFrom(o.sharedFrom),
  extraChecks: (r, text) => {
    const s = r.sharedFrom;
    if (!s || r.deleted) return [];
    // The original's id must be its author's too; an empty signature makes the check fail.
    const bound = deriveItemId(s.original.author, s.original.nonce) === s.original.id;
    return [
      {
        signer: s.original.author,
        text: text(s.groupId, s.original),
        sig: bound ? s.original.sig : '',
      },
    ];
  },
});

export const commentKind = itemKind<CommentRecord>({
  kind: 'comment',
  parentField: 'postId',
  parseLive: (o) => optional(o.quoteOf, isItemId) && isContent(o, BODY_MAX_CHARS),
});
