// An item an admin hid for everyone: "Hidden by <admin>" in its place; its author and admins
// may still open it. Admins get the button that hides or shows it again.
import { createSignal, type JSX, Show } from 'solid-js';
import { messageFor } from '../../state/errors.ts';
import type { GroupHandle } from '../../state/GroupHandle.ts';

export function HiddenNote(props: { handle: GroupHandle; itemId: string; children: JSX.Element }) {
  const [open, setOpen] = createSignal(false);
  const hiddenBy = () => {
    props.handle.version();
    const m = props.handle.membership;
    // Asking starts the check of a hide record that just arrived; `version` moves when done.
    props.handle.trust(m.hideSlot(props.itemId), m.hideStatus(props.itemId));
    return m.hiddenBy(props.itemId);
  };
  const mayOpen = () => props.handle.membership.mayOpenHidden(props.handle.me(), props.itemId);
  return (
    <Show when={hiddenBy()} fallback={props.children}>
      {(by) => (
        <>
          <p class="hidden-note">
            Hidden by {props.handle.member(by())?.name ?? 'an admin'}.{' '}
            <Show when={mayOpen()}>
              <button type="button" class="quiet" onClick={() => setOpen(!open())}>
                {open() ? 'Close' : 'Show it anyway'}
              </button>
            </Show>
          </p>
          <Show when={open() && mayOpen()}>{props.children}</Show>
        </>
      )}
    </Show>
  );
}

export function HideButton(props: {
  handle: GroupHandle;
  itemId: string;
  onError: (m: string) => void;
}) {
  const isAdmin = () => {
    props.handle.version();
    const me = props.handle.me();
    return me !== undefined && props.handle.membership.isAdmin(me);
  };
  const hidden = () => {
    props.handle.version();
    return props.handle.membership.hiddenBy(props.itemId) !== undefined;
  };
  const toggle = () => {
    try {
      props.handle.membership.hide(props.itemId, !hidden());
    } catch (e) {
      props.onError(messageFor(e, 'This could not be changed. Try again.'));
    }
  };
  return (
    <Show when={isAdmin()}>
      <button type="button" class="quiet" onClick={toggle}>
        {hidden() ? 'Show for everyone' : 'Hide for everyone'}
      </button>
    </Show>
  );
}
