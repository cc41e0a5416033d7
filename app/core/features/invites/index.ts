import type { RecordKind } from '../../group/RecordKind.ts';
import type { FeatureModule } from '../Feature.ts';
import { Invitations } from './Invitations.ts';
import { inviteKind, inviteWithdrawnKind } from './records.ts';

export * from './Invitations.ts';
export * from './records.ts';

export const invites: FeatureModule<Invitations> = {
  kinds: [inviteKind, inviteWithdrawnKind] as RecordKind[],
  facade: (group) => new Invitations(group),
};
