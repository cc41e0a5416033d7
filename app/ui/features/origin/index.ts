// The origin record has no screen: it is written once when a group is made, and Hearth reads
// it to tell a group whose document proves its id (see core/features/origin).
import type { Origin } from '../../../core/features/origin/Origin.ts';
import { actionList } from '../../state/GroupHandle.ts';
import type { UiFeature } from '../Feature.ts';

export const origin: UiFeature<'origin'> = {
  actions: actionList<Origin>()(),
};
