// Sharing copies a post into another group without laundering its authorship: the original
// signed record travels whole, so readers there can still check it is the author's own
// words, and the sharer signs the wrapper that says who shared it and from where.
import type { Identity } from '../identity/Identity.ts';
import type { Group } from './Group.ts';

/** Copies `postId` from `fromGroup` into `toGroup` as `me`; returns the new post's id there. */
export function sharePost(fromGroup: Group, postId: string, toGroup: Group, me: Identity): string {
  return toGroup.addShared(me, fromGroup.shareSource(postId));
}
