import type { RecordKind } from '../../group/RecordKind.ts';
import type { FeatureModule } from '../Feature.ts';
import { Discussion } from './Discussion.ts';
import { replyKind, threadKind } from './records.ts';

export * from './Discussion.ts';
export * from './records.ts';

export const discussion: FeatureModule<Discussion> = {
  kinds: [threadKind as RecordKind, replyKind as RecordKind],
  facade: (group) => new Discussion(group),
};
