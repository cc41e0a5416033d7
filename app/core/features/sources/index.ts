import type { RecordKind } from '../../group/RecordKind.ts';
import type { FeatureModule } from '../Feature.ts';
import { annotationKind, citeKind, sourceKind } from './records.ts';
import { Sources } from './Sources.ts';

export * from './links.ts';
export * from './records.ts';
export * from './Sources.ts';

export const sources: FeatureModule<Sources> = {
  kinds: [sourceKind as RecordKind, annotationKind as RecordKind, citeKind as RecordKind],
  facade: (group) => new Sources(group),
};
