// The record kinds this version of Hearth understands, one line per kind. A new kind is a
// new feature folder plus a line here; the kernel, the index and the router do not change.
import type { Group } from '../group/Group.ts';
import type { RecordKind } from '../group/RecordKind.ts';
import { Discussion } from './discussion/Discussion.ts';
import { replyKind, threadKind } from './discussion/records.ts';
import type { Feature } from './Feature.ts';
import { Pins } from './pins/Pins.ts';
import { pinKind } from './pins/records.ts';
import { Posts } from './posts/Posts.ts';
import { commentKind, postKind } from './posts/records.ts';
import { Reactions } from './reactions/Reactions.ts';
import { reactionKind } from './reactions/records.ts';

export const FEATURE_KINDS: readonly RecordKind[] = [
  threadKind as RecordKind,
  replyKind as RecordKind,
  postKind as RecordKind,
  commentKind as RecordKind,
  reactionKind as RecordKind,
  pinKind as RecordKind,
];

/** The facades of one group's features, as the app uses them. */
export interface GroupFeatures {
  readonly discussion: Discussion;
  readonly posts: Posts;
  readonly reactions: Reactions;
  readonly pins: Pins;
}

/** The same facades as a list, for what iterates over every feature (unread, home feed). */
export const featureList = (f: GroupFeatures): readonly Feature[] => Object.values(f) as Feature[];

export function featuresOf(group: Group): GroupFeatures {
  return {
    discussion: new Discussion(group),
    posts: new Posts(group),
    reactions: new Reactions(group),
    pins: new Pins(group),
  };
}
