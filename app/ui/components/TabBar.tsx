// The bottom bar inside a group: one tab per job of the group, the current one marked for
// assistive technology with aria-current, and plain unread counts (facts, never lures).
import { For, Show } from 'solid-js';
import { href } from '../router.ts';

export type GroupTab = 'threads' | 'posts' | 'members';

const TABS: { id: GroupTab; label: string; to: (g: string) => string }[] = [
  { id: 'threads', label: 'Discuss', to: href.group },
  { id: 'posts', label: 'Posts', to: href.posts },
  { id: 'members', label: 'Members', to: href.members },
];

/** Tabs of one group; `unread` gives a count per tab (absent or zero shows nothing). */
export function TabBar(props: {
  groupId: string;
  active: GroupTab;
  unread?: Partial<Record<GroupTab, number>>;
}) {
  return (
    <nav class="tabbar" aria-label="Group sections">
      <For each={TABS}>
        {(tab) => {
          const count = () => props.unread?.[tab.id] ?? 0;
          return (
            <a
              href={tab.to(props.groupId)}
              aria-current={props.active === tab.id ? 'page' : undefined}
            >
              {tab.label}
              <Show when={count() > 0}>
                <UnreadBadge count={count()} />
              </Show>
            </a>
          );
        }}
      </For>
    </nav>
  );
}

/** A count that reads as "3 unread" to screen readers and shows as "3". */
export function UnreadBadge(props: { count: number }) {
  return (
    <span class="badge" data-testid="unread">
      <span aria-hidden="true">{props.count > 99 ? '99+' : props.count}</span>
      <span class="visually-hidden">{` ${props.count} unread`}</span>
    </span>
  );
}
