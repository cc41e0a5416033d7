// How pins show: a 📌 before a pinned thread or post in lists, and the pin switch on its own
// screen. A pin is a signed record like any other, so it shows the same check as cards do:
// a pin still being checked says so, and a forged one is undone by the kernel once checked.
import { Show } from 'solid-js';
import { TrustMark } from '../../components/TrustMark.tsx';
import { messageFor } from '../../state/errors.ts';
import type { GroupHandle, Trust } from '../../state/GroupHandle.ts';

/** The check of the pin in effect on an item (only meaningful while it is pinned). */
export function pinTrust(handle: GroupHandle, itemId: string): Trust {
  return handle.trust(handle.pins.slot(itemId), handle.pins.status(itemId));
}

/** 📌 before a pinned item's title in a list, with the pin's check when it is not verified. */
export function PinMark(props: { handle: GroupHandle; itemId: string }) {
  const pinned = () => {
    props.handle.version();
    return props.handle.pins.isPinned(props.itemId);
  };
  const trust = () => pinTrust(props.handle, props.itemId);
  return (
    <Show when={pinned()}>
      <span class="pin-mark" data-trust={trust()}>
        📌{' '}
        <Show when={trust() !== 'valid'}>
          <TrustMark trust={trust()} />{' '}
        </Show>
      </span>
    </Show>
  );
}

/**
 * Pins or unpins an item for everyone; `onError` gets a plain-words message when that fails.
 * Returns true when the change was saved.
 */
export function togglePin(
  handle: GroupHandle,
  itemId: string,
  onError: (message: string) => void,
): boolean {
  try {
    handle.pins.pin(itemId, !handle.pins.isPinned(itemId));
    onError('');
    return true;
  } catch (err) {
    onError(messageFor(err));
    return false;
  }
}
