import type { RecordKind } from '../../group/RecordKind.ts';
import type { FeatureModule } from '../Feature.ts';
import { Membership } from './Membership.ts';
import { epochKind, hideKind, leftKind, roleKind } from './records.ts';

export * from './Membership.ts';
export * from './records.ts';

export const membership: FeatureModule<Membership> = {
  kinds: [roleKind, leftKind, epochKind, hideKind] as RecordKind[],
  facade: (group) => new Membership(group),
};
