// The features this version of Hearth has, one line each. A new kind of record is a new
// feature folder (its records, its facade, its index.ts exporting a FeatureModule) plus a
// line here; the kernel, the index, the views of other features and the router do not change.
import type { Group } from '../group/Group.ts';
import type { RecordKind } from '../group/RecordKind.ts';
import { decisions } from './decisions/index.ts';
import { devices } from './devices/index.ts';
import { discussion } from './discussion/index.ts';
import type { Feature, FeatureModule } from './Feature.ts';
import { invites } from './invites/index.ts';
import { membership } from './membership/index.ts';
import { notes } from './notes/index.ts';
import { origin } from './origin/index.ts';
import { pins } from './pins/index.ts';
import { posts } from './posts/index.ts';
import { reactions } from './reactions/index.ts';
import { sources } from './sources/index.ts';

const MODULES = {
  discussion,
  posts,
  notes,
  reactions,
  pins,
  membership,
  invites,
  origin,
  devices,
  sources,
  decisions,
} as const satisfies Record<string, FeatureModule<unknown>>;

/** The facades of one group's features, as the app uses them. */
export type GroupFeatures = {
  readonly [K in keyof typeof MODULES]: ReturnType<(typeof MODULES)[K]['facade']>;
};

/** Every record kind the features declare, for Group.open. */
export const FEATURE_KINDS: readonly RecordKind[] = Object.values(MODULES).flatMap((m) => m.kinds);

/** The same facades as a list, for what iterates over every feature (unread, home feed). */
export const featureList = (f: GroupFeatures): readonly Feature[] => Object.values(f) as Feature[];

export function featuresOf(group: Group): GroupFeatures {
  return Object.fromEntries(
    Object.entries(MODULES).map(([name, m]) => [name, m.facade(group)]),
  ) as unknown as GroupFeatures;
}
