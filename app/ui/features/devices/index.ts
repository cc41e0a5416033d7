// A member's devices: the Members tab lists them (MemberDevices), Settings links a new one
// and unlinks a lost one, and keeps backups and the browser's storage in view.
import type { Devices } from '../../../core/features/devices/Devices.ts';
import { actionList } from '../../state/GroupHandle.ts';
import type { UiFeature } from '../Feature.ts';

export const devices: UiFeature<'devices'> = {
  actions: actionList<Devices>()('unlink'),
};
