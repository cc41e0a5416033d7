// Who else is here: the group's header names the members online now (from their signed
// presence notes, peer to peer); the members screen says, per member, online now or when
// this device last saw them. Nothing of it is stored in the group.
import { Show } from 'solid-js';
import type { GroupHandle } from '../state/GroupHandle.ts';
import { useNow } from '../state/hearthContext.ts';
import { agoText } from './dates.ts';

/** "Online now: Bob, Carol", or that nobody else is, for the group's header. */
export function PresenceLine(props: { handle: GroupHandle }) {
  const names = () => {
    props.handle.version();
    return [...props.handle.presence().online]
      .map((id) => props.handle.member(id)?.name)
      .filter((n): n is string => n !== undefined)
      .sort((a, b) => a.localeCompare(b));
  };
  return (
    <span class="presence-line" data-testid="presence" data-online={names().length}>
      <Show when={names().length > 0} fallback="Nobody else is online right now">
        <span class="presence-dot" aria-hidden="true" />
        Online now: {names().join(', ')}
      </Show>
    </span>
  );
}

/** One member's presence for the members screen. */
export function LastSeen(props: { handle: GroupHandle; memberId: string }) {
  const now = useNow();
  const online = () => props.handle.presence().online.has(props.memberId);
  const seen = () => props.handle.presence().lastSeen.get(props.memberId);
  return (
    <span class="hint last-seen" data-testid="last-seen" data-online={online()}>
      <Show
        when={online()}
        fallback={
          <Show when={seen()} fallback="Not seen online from this device yet">
            {(at) => (
              <>
                Last seen{' '}
                <time datetime={new Date(at()).toISOString()}>{agoText(at(), now())}</time>
              </>
            )}
          </Show>
        }
      >
        <span class="presence-dot" aria-hidden="true" />
        Online now
      </Show>
    </span>
  );
}
