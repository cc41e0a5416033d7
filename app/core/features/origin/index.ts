import type { RecordKind } from '../../group/RecordKind.ts';
import type { FeatureModule } from '../Feature.ts';
import { Origin } from './Origin.ts';
import { originKind } from './records.ts';

export * from './Origin.ts';
export * from './records.ts';

export const origin: FeatureModule<Origin> = {
  kinds: [originKind as RecordKind],
  facade: (group) => new Origin(group),
};
