// Every route of the app, declared once: the kernel's screens here, each feature's in its
// folder (through the one list in features/index.ts). Parsing a location, building links and
// the App's screen switch all come from this table, and so do the group's tabs.
import { lazy } from 'solid-js';
import type { Place } from '../core/features/Feature.ts';
import { ReceiveLink } from './features/devices/ReceiveLink.tsx';
import { type GroupTab, type ScreenRoute, screenRoute } from './features/Feature.ts';
import { FEATURES } from './features/index.ts';
import { RouteTable } from './router.ts';
import { GroupScreen } from './screens/GroupScreen.tsx';
import { Home } from './screens/Home.tsx';
import {
  groupRoute,
  homeRoute,
  inviteRoute,
  joiningRoute,
  joinRoute,
  linkRoute,
  membersRoute,
  newGroupRoute,
  scanRoute,
  settingsRoute,
} from './screens/routes.ts';
import { groupSearchRoute, searchRoute } from './search/routes.ts';
import type { ActionLists } from './state/GroupHandle.ts';

// Screens no first screen shows load on demand, in chunks of their own.
const InviteScreen = lazy(() =>
  import('./screens/InviteScreen.tsx').then((m) => ({ default: m.InviteScreen })),
);
const JoinScreen = lazy(() =>
  import('./screens/Join.tsx').then((m) => ({ default: m.JoinScreen })),
);
const MembersList = lazy(() =>
  import('./screens/MembersScreen.tsx').then((m) => ({ default: m.MembersList })),
);
const NewGroup = lazy(() =>
  import('./screens/NewGroup.tsx').then((m) => ({ default: m.NewGroup })),
);
const Settings = lazy(() =>
  import('./screens/Settings.tsx').then((m) => ({ default: m.Settings })),
);
const SearchScreen = lazy(() =>
  import('./search/SearchScreen.tsx').then((m) => ({ default: m.SearchScreen })),
);
const ScanInvite = lazy(() =>
  import('./screens/ScanInvite.tsx').then((m) => ({ default: m.ScanInvite })),
);

const features = Object.values(FEATURES);

/** The group's tabs, in order: the features' (in list order), then the kernel's Members. */
export const TABS: readonly GroupTab[] = [
  ...features.flatMap((f) => (f.tab ? [f.tab] : [])),
  { label: 'Members', route: membersRoute, content: MembersList },
];

/** Every tab route shows the one GroupScreen of its group, kept mounted between tabs. */
const tabRoutes: ScreenRoute[] = [...new Set([groupRoute, ...TABS.map((t) => t.route)])].map(
  (def) =>
    screenRoute(
      def,
      (p) => <GroupScreen groupId={p.params.groupId} route={p.route} tabs={TABS} />,
      (params) => `group:${params.groupId}`,
    ),
);

export const ROUTES: readonly ScreenRoute[] = [
  screenRoute(homeRoute, () => <Home />),
  screenRoute(newGroupRoute, () => <NewGroup />),
  screenRoute(scanRoute, () => <ScanInvite />),
  screenRoute(settingsRoute, () => <Settings />),
  // The App takes the invite out of the address bar at once (see Shell); nothing to show.
  screenRoute(joinRoute, () => null),
  screenRoute(joiningRoute, () => <JoinScreen />),
  screenRoute(inviteRoute, (p) => <InviteScreen groupId={p.params.groupId} />),
  // A device link opened where Hearth is already set up: it says why it cannot be used here.
  screenRoute(linkRoute, () => (
    <main>
      <ReceiveLink />
    </main>
  )),
  screenRoute(searchRoute, () => <SearchScreen />),
  screenRoute(groupSearchRoute, (p) => <SearchScreen groupId={p.params.groupId} />),
  ...tabRoutes,
  ...features.flatMap((f) => f.routes ?? []),
];

export const routes = new RouteTable(ROUTES);

/** The link to a feed item's place, or undefined when this version has no such route. */
export const placeHref = (place: Place): string | undefined =>
  routes.hrefByName(place.route, place.params);

/** Which facade methods the group handles bind to the member, from each feature's folder. */
export const ACTIONS = Object.fromEntries(
  Object.entries(FEATURES).map(([key, f]) => [key, f.actions]),
) as unknown as ActionLists;
