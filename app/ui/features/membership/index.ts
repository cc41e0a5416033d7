// Roles and moderation have no screen of their own: the Members tab shows roles and removal,
// and item cards show what an admin hid (HiddenNote).
import type { Membership } from '../../../core/features/membership/Membership.ts';
import { actionList } from '../../state/GroupHandle.ts';
import type { UiFeature } from '../Feature.ts';

export const membership: UiFeature<'membership'> = {
  actions: actionList<Membership>()('setAdmin', 'hide'),
};
