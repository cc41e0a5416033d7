// Inside a group: the top bar (name, invite, sync status), the current tab's content (each
// tab comes from a feature, or the kernel's Members) and the bottom tab bar with this
// member's unread counts. One GroupScreen stays mounted while the member moves between tabs.
import { createEffect, createMemo, createSignal, Match, Show, Switch } from 'solid-js';
import { Dynamic } from 'solid-js/web';
import type { GroupUnread } from '../../core/features/unread.ts';
import { PresenceLine } from '../components/Presence.tsx';
import { SyncBadge } from '../components/SyncBadge.tsx';
import { TabBar } from '../components/TabBar.tsx';
import { TopBar } from '../components/TopBar.tsx';
import type { GroupTab } from '../features/Feature.ts';
import { MembershipNotice } from '../features/membership/MembershipNotice.tsx';
import { href, type RouteDef } from '../router.ts';
import { SearchLink } from '../search/SearchLink.tsx';
import { useFirstScreen, useGroup, useHearth } from '../state/hearthContext.ts';
import { afterPaintIdle } from '../state/paint.ts';
import { usePersonalVersion } from '../state/unread.ts';
import { homeRoute, inviteRoute } from './routes.ts';

const NONE: GroupUnread = { total: 0, byTab: new Map(), byParent: new Map() };

export function GroupScreen(props: {
  groupId: string;
  route: RouteDef;
  tabs: readonly GroupTab[];
}) {
  const hearth = useHearth();
  const first = useFirstScreen(() => props.groupId);
  const handle = useGroup(() => props.groupId);
  const personalVersion = usePersonalVersion();
  const tab = (): GroupTab =>
    props.tabs.find((t) => t.route.name === props.route.name) ?? (props.tabs[0] as GroupTab);
  // Counting what is unread walks every conversation of the group (10,000 threads take a
  // good part of a second on a phone): the list is painted first, the counts once idle.
  const [counting, setCounting] = createSignal(false);
  createEffect(() => {
    if (handle() && !counting()) void afterPaintIdle().then(() => setCounting(true));
  });
  const unread = createMemo((): GroupUnread => {
    personalVersion();
    const h = handle();
    if (!h || !counting()) return NONE;
    h.version();
    return h.unread();
  });
  const name = () => {
    const h = handle();
    if (!h) return hearth.entry(props.groupId)?.name ?? 'Group';
    h.version();
    return h.name();
  };
  return (
    <Switch>
      <Match when={handle.loading}>
        <Show when={tab().preview && first()} fallback={<main aria-busy="true">Opening…</main>}>
          {(screen) => (
            <>
              <TopBar title={screen().name} back={href(homeRoute)} backLabel="Your groups" />
              <main aria-busy="true">
                <Dynamic component={tab().preview} groupId={props.groupId} screen={screen()} />
              </main>
            </>
          )}
        </Show>
      </Match>
      <Match when={handle() === null}>
        <TopBar title="Not found" back={href(homeRoute)} />
        <main>
          <p>This device is not in that group. Ask a member for an invite link.</p>
        </main>
      </Match>
      <Match when={handle()}>
        {(h) => (
          <>
            <TopBar title={name()} back={href(homeRoute)} backLabel="Your groups">
              <SearchLink groupId={props.groupId} />
              <a class="button" href={href(inviteRoute, { groupId: props.groupId })}>
                Invite
              </a>
            </TopBar>
            <main>
              <p class="group-status">
                <SyncBadge status={h().syncStatus()} />
                <PresenceLine handle={h()} />
              </p>
              <MembershipNotice groupId={props.groupId} handle={h()} />
              <Dynamic component={tab().content} handle={h()} unread={unread} />
            </main>
            <TabBar
              groupId={props.groupId}
              tabs={props.tabs}
              active={tab()}
              unread={unread().byTab}
            />
          </>
        )}
      </Match>
    </Switch>
  );
}
