// Reactions on one item from the group's fixed set, counted from verified records only, so a
// forged reaction never shows under a member's name. Own reactions are toggle buttons.
import { createResource, createSignal, For, Show } from 'solid-js';
import { EMOJI, type Emoji } from '../../../core/features/reactions/records.ts';
import { messageFor } from '../../state/errors.ts';
import type { GroupHandle } from '../../state/GroupHandle.ts';

type Who = readonly string[];

export interface ReactionsProps {
  readonly handle: GroupHandle;
  readonly itemId: string;
  /** Moves whenever this item's reactions may have changed. */
  readonly rev: number;
  /** Set to false for deleted items: counts stay readable, nothing can be added. */
  readonly canReact: boolean;
  /** Called with a plain-words message when a reaction cannot be saved. */
  readonly onError?: (message: string) => void;
}

const nameOf = (handle: GroupHandle, id: string): string =>
  handle.member(id)?.name ?? 'Unknown member';

/** The counted reactions as toggle buttons, and a small picker for the others. */
export function Reactions(props: ReactionsProps) {
  const [picking, setPicking] = createSignal(false);
  let opener: HTMLButtonElement | undefined;
  const closePicker = () => {
    setPicking(false);
    opener?.focus();
  };
  // Most items have no reactions: those never wait for the verifier.
  const [counts] = createResource(
    () => ({ reactions: props.handle.reactions, id: props.itemId, rev: props.rev }),
    ({ reactions, id }): Map<Emoji, Who> | Promise<Map<Emoji, Who>> =>
      reactions.on(id).size === 0 ? new Map<Emoji, Who>() : reactions.verified(id),
  );
  const me = () => props.handle.me() ?? '';
  const entries = () => [...(counts.latest ?? new Map<Emoji, Who>()).entries()];
  const mine = (emoji: Emoji) => counts.latest?.get(emoji)?.includes(me()) ?? false;
  const toggle = (emoji: Emoji) => {
    try {
      if (mine(emoji)) props.handle.reactions.unreact(props.itemId, emoji);
      else props.handle.reactions.react(props.itemId, emoji);
      if (picking()) closePicker();
    } catch (err) {
      props.onError?.(messageFor(err));
    }
  };
  return (
    <div class="reactions">
      <For each={entries()}>
        {([emoji, who]) => (
          <button
            type="button"
            class="reaction"
            aria-pressed={who.includes(me())}
            aria-label={`${emoji} ${who.length}: ${who.map((id) => nameOf(props.handle, id)).join(', ')}`}
            title={who.map((id) => nameOf(props.handle, id)).join(', ')}
            disabled={!props.canReact}
            onClick={() => toggle(emoji)}
          >
            <span aria-hidden="true">{emoji}</span>
            <span aria-hidden="true">{who.length}</span>
          </button>
        )}
      </For>
      <Show when={props.canReact}>
        <button
          type="button"
          class="quiet react-add"
          ref={opener}
          aria-expanded={picking()}
          onClick={() => setPicking((p) => !p)}
        >
          React
        </button>
        <Show when={picking()}>
          {/* biome-ignore lint/a11y/useSemanticElements: a toolbar of buttons, not a form group */}
          <div class="reaction-picker" role="group" aria-label="Choose a reaction">
            <For each={EMOJI}>
              {(emoji) => (
                <button
                  type="button"
                  class="quiet"
                  aria-pressed={mine(emoji)}
                  aria-label={`React with ${emoji}`}
                  onClick={() => toggle(emoji)}
                  onKeyDown={(e) => {
                    if (e.key === 'Escape') closePicker();
                  }}
                >
                  {emoji}
                </button>
              )}
            </For>
          </div>
        </Show>
      </Show>
    </div>
  );
}
