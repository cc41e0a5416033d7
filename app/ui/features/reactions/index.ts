// Reactions have no screen of their own: every item card shows the Reactions component.
import type { Reactions } from '../../../core/features/reactions/Reactions.ts';
import { actionList } from '../../state/GroupHandle.ts';
import type { UiFeature } from '../Feature.ts';

export const reactions: UiFeature<'reactions'> = {
  actions: actionList<Reactions>()('react', 'unreact'),
};
