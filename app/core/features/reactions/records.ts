// A reaction is one member's emoji on one item: its slot is (item, author, emoji), so only
// its author can change it, and `on: false` withdraws it.
import type { RecordKind } from '../../group/RecordKind.ts';
import { isItemId, type Obj, type SignedRecord } from '../../group/records.ts';

export const EMOJI = ['👍', '❤️', '😂', '🎉', '🤔', '👀'] as const;
export type Emoji = (typeof EMOJI)[number];

export const isEmoji = (v: unknown): v is Emoji =>
  typeof v === 'string' && (EMOJI as readonly string[]).includes(v);

export interface ReactionRecord extends SignedRecord {
  readonly kind: 'reaction';
  readonly itemId: string;
  readonly emoji: Emoji;
  readonly on: boolean;
}

export const reactionKind: RecordKind<ReactionRecord> = {
  kind: 'reaction',
  parse: (o: Obj) =>
    isItemId(o.itemId) && isEmoji(o.emoji) && typeof o.on === 'boolean'
      ? (o as unknown as ReactionRecord)
      : null,
  slot: (r) => `reaction:${r.itemId}|${r.author}|${r.emoji}`,
  parent: (r) => r.itemId,
  touches: (r) => [r.itemId],
};
