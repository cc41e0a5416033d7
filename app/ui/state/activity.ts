// The home feed is a plain, chronological list of what happened across the member's groups;
// this turns one core ActivityEntry into the words and the link the feed shows. Where an
// item lives is the feature's to say (its `place`); the route table makes it a link.
import type { Place } from '../../core/features/Feature.ts';
import type { ActivityEntry } from '../../core/features/unread.ts';

export interface ActivityLine {
  /** Unique across groups, for keyed lists. */
  readonly key: string;
  readonly groupId: string;
  /** The item's id, the slot its check is asked for. */
  readonly id: string;
  /** "Ann replied to “Seed swap”" and the like. */
  readonly text: string;
  readonly groupName: string;
  /** Undefined when this version has no screen for the item's place. */
  readonly href: string | undefined;
  readonly at: number;
  readonly status: ActivityEntry['item']['status'];
}

/** Words and link for one feed entry. */
export function activityLine(
  entry: ActivityEntry,
  linkTo: (place: Place) => string | undefined,
): ActivityLine {
  const { item, groupId, groupName } = entry;
  return {
    key: `${groupId}/${item.id}`,
    groupId,
    id: item.id,
    text: `${item.authorName ?? 'Someone'} ${item.action}`,
    groupName,
    href: linkTo(item.place),
    at: item.createdAt,
    status: item.status,
  };
}
