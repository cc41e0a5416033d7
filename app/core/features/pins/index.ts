import type { RecordKind } from '../../group/RecordKind.ts';
import type { FeatureModule } from '../Feature.ts';
import { Pins } from './Pins.ts';
import { pinKind } from './records.ts';

export * from './Pins.ts';
export * from './records.ts';

export const pins: FeatureModule<Pins> = {
  kinds: [pinKind as RecordKind],
  facade: (group) => new Pins(group),
};
