import { createSignal, For, Show } from 'solid-js';
import { messageFor } from '../../state/errors.ts';
import type { GroupHandle } from '../../state/GroupHandle.ts';
import { useHearth } from '../../state/hearthContext.ts';

/**
 * Under a member on the Members tab: the devices they linked, from their signed device
 * records. On the member's own entry each other device can be unlinked; a new key then
 * follows that the unlinked device is not given.
 */
export function MemberDevices(props: { handle: GroupHandle; memberId: string; isMe: boolean }) {
  const hearth = useHearth();
  const [error, setError] = createSignal('');
  const devices = () => {
    props.handle.version();
    return props.handle.devices.of(props.memberId);
  };
  const thisDevice = () => hearth.identity?.device?.id;
  const unlink = (device: string, label: string) => {
    setError('');
    if (!confirm(`Unlink “${label}”? It will not receive anything written from now on.`)) return;
    try {
      props.handle.devices.unlink(device);
    } catch (e) {
      setError(messageFor(e, 'The device could not be unlinked. Try again.'));
    }
  };
  return (
    <Show when={devices().length > 0}>
      <ul class="devices" aria-label={props.isMe ? 'Your devices' : 'Their devices'}>
        <For each={devices()}>
          {(d) => (
            <li>
              <span classList={{ hint: d.unlinked }}>
                {d.label}
                {d.device === thisDevice() && props.isMe ? ' (this device)' : ''}
                {d.unlinked ? ' (unlinked)' : ''}
              </span>
              <Show when={props.isMe && !d.unlinked && d.device !== thisDevice()}>
                {' '}
                <button type="button" onClick={() => unlink(d.device, d.label)}>
                  Unlink<span class="visually-hidden"> {d.label}</span>
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <p class="error" role="alert">
        {error()}
      </p>
    </Show>
  );
}
