// What a feature folder gives the app: its actions (bound to the member in every screen's
// GroupHandle), the screens its routes show, and its tab in the group's bottom bar. The one
// list in ./index.ts holds every feature, so a new feature is a new folder plus one line.

import type { Accessor, JSX } from 'solid-js';
import type { GroupFeatures } from '../../core/features/registry.ts';
import type { GroupUnread } from '../../core/features/unread.ts';
import type { FirstScreen } from '../../core/hearth/firstScreen.ts';
import type { Params, RouteDef } from '../router.ts';
import type { Actions, GroupHandle } from '../state/GroupHandle.ts';

/** Props every routed screen gets: the route's parameters (reactive) and which route it is. */
export interface ScreenProps<P extends string = string> {
  readonly params: Params<P>;
  readonly route: RouteDef;
}

/** A route and the screen it shows. */
export interface ScreenRoute {
  readonly def: RouteDef;
  readonly screen: (props: ScreenProps) => JSX.Element;
  /**
   * Navigations between routes whose `keep` gives the same text keep one screen mounted (the
   * tabs of one group), so focus and scroll survive; by default any change mounts afresh.
   */
  readonly keep?: (params: Readonly<Record<string, string>>) => string;
}

/** Pairs a route with its screen; the screen's params are checked against the route's path. */
export function screenRoute<P extends string>(
  def: RouteDef<P>,
  screen: (props: ScreenProps<P>) => JSX.Element,
  keep?: (params: Params<P>) => string,
): ScreenRoute {
  return {
    def,
    screen: screen as unknown as ScreenRoute['screen'],
    ...(keep ? { keep: keep as unknown as NonNullable<ScreenRoute['keep']> } : {}),
  };
}

/** What a tab's content gets. */
export interface TabProps {
  readonly handle: GroupHandle;
  /** This member's unread counts in the group. */
  readonly unread: Accessor<GroupUnread>;
}

/** One tab of a group's bottom bar. */
export interface GroupTab {
  readonly label: string;
  /** The tab's route; its only parameter is the group. */
  readonly route: RouteDef<'/g/:groupId' | `/g/:groupId/${string}`>;
  /** The `Conversation.tab` whose unread count the tab shows, if any. */
  readonly unread?: string;
  readonly content: (props: TabProps) => JSX.Element;
  /** What the tab shows from the group's kept first screens while the group opens. */
  readonly preview?: (props: { groupId: string; screen: FirstScreen }) => JSX.Element;
}

/** One feature's part of the UI. */
export interface UiFeature<K extends keyof GroupFeatures> {
  /** Every method of the feature's facade that writes as the member (see actionList). */
  readonly actions: readonly Actions<GroupFeatures[K]>[];
  readonly routes?: readonly ScreenRoute[];
  readonly tab?: GroupTab;
}

/** Every core feature has its UI part; the compiler refuses a list that misses one. */
export type UiFeatures = { readonly [K in keyof GroupFeatures]: UiFeature<K> };
