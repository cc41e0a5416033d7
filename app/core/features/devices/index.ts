import type { RecordKind } from '../../group/RecordKind.ts';
import type { FeatureModule } from '../Feature.ts';
import { Devices } from './Devices.ts';
import { deviceKind } from './records.ts';

export * from './Devices.ts';
export * from './records.ts';

export const devices: FeatureModule<Devices> = {
  kinds: [deviceKind as RecordKind],
  facade: (group) => new Devices(group),
};
