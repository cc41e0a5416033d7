// Discussion's records: a thread opens a conversation, replies answer it and may quote an
// earlier reply of the same thread.
import {
  BODY_MAX_CHARS,
  type ContentFields,
  type ItemRecord,
  isContent,
  isTitle,
  itemKind,
} from '../../group/items.ts';
import { isItemId, optional } from '../../group/records.ts';

export interface ThreadRecord extends ItemRecord, Partial<ContentFields> {
  readonly kind: 'thread';
  readonly title?: string;
}

export interface ReplyRecord extends ItemRecord, Partial<ContentFields> {
  readonly kind: 'reply';
  readonly threadId: string;
  readonly quoteOf?: string;
}

export const threadKind = itemKind<ThreadRecord>({
  kind: 'thread',
  parseLive: (o) => isTitle(o.title) && isContent(o, BODY_MAX_CHARS),
});

export const replyKind = itemKind<ReplyRecord>({
  kind: 'reply',
  parentField: 'threadId',
  parseLive: (o) => optional(o.quoteOf, isItemId) && isContent(o, BODY_MAX_CHARS),
});
