// Threads and posts a proposal can come from or cite, as links: read through the handle's
// discussion and posts facades, so this feature names their routes, not their records.
import { href } from '../../router.ts';
import type { GroupHandle } from '../../state/GroupHandle.ts';
import { threadRoute } from '../discussion/routes.ts';
import { postRoute } from '../posts/routes.ts';

export interface SourceLink {
  readonly id: string;
  readonly title: string;
  readonly href: string;
}

export function sourceLink(h: GroupHandle, id: string): SourceLink | undefined {
  const t = h.discussion.thread(id);
  if (t && !t.deleted)
    return { id, title: t.title, href: href(threadRoute, { groupId: h.id, threadId: id }) };
  const p = h.posts.post(id);
  if (p && !p.deleted)
    return { id, title: p.title, href: href(postRoute, { groupId: h.id, postId: id }) };
  return undefined;
}

/** The newest threads and posts, for the "cite" list. */
export function citable(h: GroupHandle, limit = 12): SourceLink[] {
  const ids = [...h.discussion.threadIds().slice(0, limit), ...h.posts.postIds().slice(0, limit)];
  return ids.flatMap((id) => sourceLink(h, id) ?? []);
}
