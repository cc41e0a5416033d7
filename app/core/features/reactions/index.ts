import type { RecordKind } from '../../group/RecordKind.ts';
import type { FeatureModule } from '../Feature.ts';
import { Reactions } from './Reactions.ts';
import { reactionKind } from './records.ts';

export * from './Reactions.ts';
export * from './records.ts';

export const reactions: FeatureModule<Reactions> = {
  kinds: [reactionKind as RecordKind],
  facade: (group) => new Reactions(group),
};
