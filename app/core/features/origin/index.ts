import type { RecordKind } from '../../group/RecordKind.ts';
import type { FeatureModule } from '../Feature.ts';
import { Origin } from './Origin.ts';
import { originKind, vouchKind } from './records.ts';

export * from './Origin.ts';
export * from './records.ts';

export const origin: FeatureModule<Origin> = {
  kinds: [originKind as RecordKind, vouchKind as RecordKind],
  facade: (group) => new Origin(group),
};
