// Invitations have no screen of their own here: the Invite screen (screens/InviteScreen.tsx)
// lists the group's open invitations through the Invites service, which writes these records
// when a member makes or withdraws one.
import type { Invitations } from '../../../core/features/invites/Invitations.ts';
import { actionList } from '../../state/GroupHandle.ts';
import type { UiFeature } from '../Feature.ts';

export const invites: UiFeature<'invites'> = {
  actions: actionList<Invitations>()('announce', 'markWithdrawn'),
};
