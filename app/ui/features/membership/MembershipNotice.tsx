// What a member whose device is no longer in the group sees on every screen of it: removed
// (by whom, why), left, or left behind by a new key. In plain words, with what still holds.
import { Show } from 'solid-js';
import type { MembershipState } from '../../../core/hearth/EpochFollower.ts';
import type { GroupHandle } from '../../state/GroupHandle.ts';
import { useHearth, useHearthVersion } from '../../state/hearthContext.ts';

export function noticeText(state: MembershipState, nameOf: (id: string) => string): string {
  switch (state.kind) {
    case 'removed':
      return `You were removed from this group${state.by ? ` by ${nameOf(state.by)}` : ''}.${
        state.reason ? ` Reason given: “${state.reason}”.` : ''
      } You can still read what this device already had, but you will not see anything new and cannot write here.`;
    case 'left':
      return 'You left this group. You will not see anything new from it.';
    case 'locked-out':
      return 'This group changed its key and this device was not given the new one, so it cannot see anything new. Ask a member for a new invite.';
    default:
      return '';
  }
}

export function MembershipNotice(props: { groupId: string; handle: GroupHandle }) {
  const hearth = useHearth();
  const version = useHearthVersion();
  const state = () => {
    version();
    props.handle.version();
    return hearth.membershipOf(props.groupId);
  };
  const text = () => {
    const s = state();
    return s ? noticeText(s, (id) => props.handle.member(id)?.name ?? 'an admin') : '';
  };
  return (
    <Show when={text()}>
      <p class="card removed-notice" role="alert">
        {text()}
      </p>
    </Show>
  );
}
