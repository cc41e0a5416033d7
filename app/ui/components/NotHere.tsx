import type { Resource } from 'solid-js';
import type { GroupHandle } from '../state/GroupHandle.ts';

/**
 * What a screen of one item (a thread, a post, a note) says while its group opens, when this
 * device is not in the group, or when the item has not arrived yet.
 */
export function NotHere(props: { handle: Resource<GroupHandle | null>; what: string }) {
  return (
    <p class="empty">
      {props.handle.loading
        ? 'Opening…'
        : props.handle() === null
          ? 'This device is not in that group. Ask a member for an invite link.'
          : `This ${props.what} has not arrived on this device yet. It will appear once a member who has it is online or the relay delivers it.`}
    </p>
  );
}
