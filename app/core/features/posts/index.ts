import type { RecordKind } from '../../group/RecordKind.ts';
import type { FeatureModule } from '../Feature.ts';
import { Posts } from './Posts.ts';
import { commentKind, postKind } from './records.ts';

export * from './Posts.ts';
export * from './records.ts';

export const posts: FeatureModule<Posts> = {
  kinds: [postKind as RecordKind, commentKind as RecordKind],
  facade: (group) => new Posts(group),
};
