// The bottom bar inside a group: one tab per job of the group (from the features' list and
// the kernel's Members tab), the current one marked for assistive technology with
// aria-current, and plain unread counts (facts, never lures).
import { For, Show } from 'solid-js';
import type { GroupTab } from '../features/Feature.ts';
import { href } from '../router.ts';

/** Tabs of one group; `unread` gives a count per unread key (absent or zero shows nothing). */
export function TabBar(props: {
  groupId: string;
  tabs: readonly GroupTab[];
  active: GroupTab;
  unread?: ReadonlyMap<string, number>;
}) {
  return (
    <nav class="tabbar" aria-label="Group sections">
      <For each={props.tabs}>
        {(tab) => {
          const count = () => (tab.unread === undefined ? 0 : (props.unread?.get(tab.unread) ?? 0));
          return (
            <a
              href={href(tab.route, { groupId: props.groupId })}
              aria-current={props.active === tab ? 'page' : undefined}
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
