import { type JSX, Show } from 'solid-js';
import type { Trust } from '../state/GroupHandle.ts';
import { UnreadBadge } from './TabBar.tsx';
import { TrustMark } from './TrustMark.tsx';

/**
 * One row of a list of members' items (threads, posts, proposals and polls, notes, sources): a
 * link to the item, its title, a hint line that ends with the item's trust mark, and its unread
 * count. A row whose record is not (yet) found valid is marked `checking` for the styles.
 */
export function ItemRow(props: {
  href: string;
  trust: Trust;
  title: JSX.Element;
  hint: JSX.Element;
  unread?: number;
}) {
  return (
    <li>
      <a
        class="row-link"
        classList={{ checking: props.trust !== 'valid' }}
        data-trust={props.trust}
        href={props.href}
      >
        <span class="grow">
          <span class="title">{props.title}</span>
          <span class="hint">
            {props.hint} <TrustMark trust={props.trust} />
          </span>
        </span>
        <Show when={(props.unread ?? 0) > 0}>
          <UnreadBadge count={props.unread ?? 0} />
        </Show>
      </a>
    </li>
  );
}
