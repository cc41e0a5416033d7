// The home feed is a plain, chronological list of what happened across the member's groups;
// these helpers turn one core ActivityEntry into the words and the link the feed shows.
import type { Group } from '../../core/group/Group.ts';
import type { ActivityEntry } from '../../core/group/ReadState.ts';
import { href } from '../router.ts';

export interface ActivityLine {
  /** "Ann replied to “Seed swap”" and the like. */
  readonly text: string;
  readonly groupName: string;
  readonly href: string;
  readonly at: number;
}

/** Words and link for one feed entry; `group` resolves the title of a reply's thread. */
export function activityLine(entry: ActivityEntry, group: Group | undefined): ActivityLine {
  const { item, groupId, groupName } = entry;
  const who = item.authorName ?? 'Someone';
  const titleOf = (id: string): string => {
    const parent = group?.item(id);
    return parent && (parent.kind === 'thread' || parent.kind === 'post') && parent.title
      ? `“${parent.title}”`
      : 'a conversation';
  };
  const base = { groupName, at: item.createdAt };
  switch (item.kind) {
    case 'thread':
      return {
        ...base,
        text: `${who} started “${item.title}”`,
        href: href.thread(groupId, item.id),
      };
    case 'reply':
      return {
        ...base,
        text: `${who} replied to ${titleOf(item.threadId)}`,
        href: href.thread(groupId, item.threadId),
      };
    case 'post':
      return {
        ...base,
        text: item.sharedFrom
          ? `${who} shared “${item.title}” from ${item.sharedFrom.groupName}`
          : `${who} posted “${item.title}”`,
        href: href.post(groupId, item.id),
      };
    case 'comment':
      return {
        ...base,
        text: `${who} commented on ${titleOf(item.postId)}`,
        href: href.post(groupId, item.postId),
      };
  }
}
