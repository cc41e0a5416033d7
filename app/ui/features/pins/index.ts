// Pins have no screen of their own: lists and item screens use PinMark and togglePin.
import type { Pins } from '../../../core/features/pins/Pins.ts';
import { actionList } from '../../state/GroupHandle.ts';
import type { UiFeature } from '../Feature.ts';

export const pins: UiFeature<'pins'> = {
  actions: actionList<Pins>()('pin'),
};
