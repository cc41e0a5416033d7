// One authored item (a thread's opening message, a reply, a post body or a comment) with
// everything a reader can do to it. The card asks for the item's check when it is rendered,
// so only what is on screen is ever verified; until the answer is in, the card is neutral
// ("Checking…", no "mine" look, no editing), and a failed check is never quiet.
import { createEffect, createMemo, createSignal, type JSX, on, onCleanup, Show } from 'solid-js';
import type { ItemViewBase } from '../../core/group/items.ts';
import { HiddenNote, HideButton } from '../features/membership/HiddenNote.tsx';
import { noteLinker } from '../features/notes/noteLinks.ts';
import { Reactions } from '../features/reactions/Reactions.tsx';
import { messageFor } from '../state/errors.ts';
import { type GroupHandle, isSuspect, type Trust } from '../state/GroupHandle.ts';
import { firstLine } from './Composer.tsx';
import { dateText, dateTimeFormat } from './dates.ts';
import { Markdown } from './Markdown.tsx';
import { TrustMark } from './TrustMark.tsx';

/** What a card shows: any feature's item view (a thread, reply, post, comment…). */
export interface CardItem extends ItemViewBase {
  readonly kind: string;
  readonly title?: string;
  readonly quoteOf?: string;
  /** Set on a post shared from another group: its words cannot be edited here. */
  readonly sharedFrom?: unknown;
}

/** The feature a card's item belongs to, with its actions bound to the member. */
export interface ItemSource {
  item(id: string): CardItem | undefined;
  edit(id: string, patch: { title?: string; body?: string }): void;
  remove(id: string): void;
}

export interface ItemCardProps {
  readonly item: CardItem;
  readonly handle: GroupHandle;
  readonly source: ItemSource;
  /** What the item is called in labels: "Message", "Reply", "Post", "Comment". */
  readonly word: string;
  /** The item this one quotes; by default looked up from `item.quoteOf`. */
  readonly quoted?: CardItem | undefined;
  /** Offers "Reply to this" and passes the item back. */
  readonly onQuote?: ((item: CardItem) => void) | undefined;
  /** Makes the quote reference a button that shows the quoted item. */
  readonly onJump?: (id: string) => void;
  /** Extra content under the header (e.g. a "new" marker). */
  readonly children?: JSX.Element;
}

/** The DOM id of an item's card, for jump links and focus. */
export const itemElementId = (id: string): string => `item-${id}`;

export function ItemCard(props: ItemCardProps) {
  const me = () => props.handle.me() ?? '';
  // Moves when this item, the item it quotes, or member names change.
  const [rev, setRev] = createSignal(0);
  createEffect(() => {
    const id = props.item.id;
    const quoteOf = props.item.quoteOf;
    const off = props.handle.onChange((c) => {
      if (c.members || c.items.has(id) || (quoteOf !== undefined && c.items.has(quoteOf))) {
        setRev((r) => r + 1);
      }
    });
    onCleanup(off);
  });

  const trust = (): Trust => props.handle.trust(props.item.id, props.item.status);
  const suspect = () => isSuspect(trust());
  const verified = () => trust() === 'valid';
  const author = () => props.item.authorName ?? 'Unknown member';
  const claimsMe = () => props.item.author === me();
  // Only a checked item is shown as one's own (highlighted, editable).
  const mine = () => claimsMe() && verified();
  const mentionsMe = () =>
    !props.item.deleted && (props.item.mentions as readonly string[]).includes(me());
  const word = () => props.word;
  const hasTitle = () => props.item.title !== undefined;
  const editable = () => mine() && !props.item.deleted && !props.item.sharedFrom;

  const quoted = createMemo((): CardItem | null | undefined => {
    rev();
    props.handle.version();
    if (props.quoted) return props.quoted;
    const id = props.item.quoteOf;
    return id ? (props.source.item(id) ?? null) : undefined;
  });

  const [editing, setEditing] = createSignal(false);
  const [editTitle, setEditTitle] = createSignal('');
  const [editBody, setEditBody] = createSignal('');
  const [error, setError] = createSignal('');
  let editButton: HTMLButtonElement | undefined;
  let dialog: HTMLDialogElement | undefined;

  const startEdit = () => {
    setEditTitle(props.item.title ?? '');
    setEditBody(props.item.body);
    setError('');
    setEditing(true);
  };
  const stopEdit = () => {
    setEditing(false);
    queueMicrotask(() => editButton?.focus());
  };
  const save = (e: Event) => {
    e.preventDefault();
    try {
      props.source.edit(props.item.id, {
        ...(hasTitle() ? { title: editTitle() } : {}),
        body: editBody(),
      });
      setError('');
      stopEdit();
    } catch (err) {
      setError(messageFor(err));
    }
  };
  const remove = () => {
    dialog?.close();
    try {
      props.source.remove(props.item.id);
      // The button that had focus is gone with the content; keep the reader on this card.
      queueMicrotask(() => document.getElementById(itemElementId(props.item.id))?.focus());
    } catch (err) {
      setError(messageFor(err));
    }
  };
  // An item deleted elsewhere while being edited leaves edit mode.
  createEffect(
    on(
      () => props.item.deleted,
      (deleted) => {
        if (deleted) setEditing(false);
      },
    ),
  );

  const label = () =>
    [
      `${word()} by ${author()}`,
      mentionsMe() ? 'mentions you' : '',
      trust() === 'forged' ? 'warning: possibly forged' : '',
      trust() === 'not-a-member' ? 'warning: not from a member' : '',
      trust() === 'checking' ? 'signature being checked' : '',
      trust() === 'unverifiable' ? 'signature could not be checked' : '',
    ]
      .filter(Boolean)
      .join(', ');

  return (
    <article
      id={itemElementId(props.item.id)}
      tabindex="-1"
      class="message item-card"
      classList={{
        warning: suspect(),
        forged: trust() === 'forged',
        mine: mine(),
        'mentions-me': mentionsMe(),
        checking: trust() === 'checking' || trust() === 'unverifiable',
      }}
      aria-label={label()}
      data-verify={trust()}
    >
      <header>
        <span class="author">
          {author()}
          <Show when={suspect()}>
            <span class="unverified"> (unverified)</span>
          </Show>
        </span>
        <TrustMark trust={trust()} />
        <time datetime={new Date(props.item.createdAt).toISOString()}>
          {dateText(dateTimeFormat, props.item.createdAt)}
        </time>
        <Show when={props.item.editedAt !== undefined && !props.item.deleted}>
          <span class="edited" title={dateText(dateTimeFormat, props.item.editedAt ?? 0)}>
            edited
          </span>
        </Show>
        <Show when={mentionsMe()}>
          <span class="mention-badge">mentions you</span>
        </Show>
      </header>
      {props.children}
      <Show when={suspect()}>
        <p class="forgery" role="alert">
          {trust() === 'forged'
            ? `Warning: this is not signed by ${author()}. Someone else may have written it.`
            : 'Warning: written by someone who is not a member of this group.'}
        </p>
      </Show>
      <Show when={quoted() !== undefined}>
        <QuoteRef quoted={quoted() ?? null} handle={props.handle} onJump={props.onJump} />
      </Show>
      <Show when={!props.item.deleted} fallback={<p class="tombstone">Deleted by its author.</p>}>
        <Show
          when={editing()}
          fallback={
            <HiddenNote handle={props.handle} itemId={props.item.id}>
              <Markdown
                source={props.item.body}
                mentions={props.handle.mentionTargets(props.item)}
                me={me()}
                noteLink={props.item.body.includes('[[') ? noteLinker(props.handle) : undefined}
              />
            </HiddenNote>
          }
        >
          <form class="edit-form" aria-label={`Edit ${word().toLowerCase()}`} onSubmit={save}>
            <Show when={hasTitle()}>
              <div class="field">
                <label for={`edit-title-${props.item.id}`}>Title</label>
                <input
                  id={`edit-title-${props.item.id}`}
                  required
                  maxLength={200}
                  value={editTitle()}
                  onInput={(e) => setEditTitle(e.currentTarget.value)}
                />
              </div>
            </Show>
            <div class="field">
              <label for={`edit-body-${props.item.id}`}>Message</label>
              <textarea
                id={`edit-body-${props.item.id}`}
                rows={4}
                value={editBody()}
                ref={(el) => queueMicrotask(() => el.focus())}
                onInput={(e) => setEditBody(e.currentTarget.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Escape') stopEdit();
                  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) save(e);
                }}
              />
            </div>
            <div class="actions">
              <button class="primary" type="submit">
                Save
              </button>
              <button type="button" onClick={stopEdit}>
                Cancel
              </button>
            </div>
          </form>
        </Show>
        <Show when={!editing()}>
          <div class="item-actions">
            <Reactions
              handle={props.handle}
              itemId={props.item.id}
              rev={rev()}
              canReact={!props.item.deleted && !suspect()}
              onError={setError}
            />
            <Show when={!suspect() && props.onQuote}>
              {(onQuote) => (
                <button type="button" class="quiet" onClick={() => onQuote()(props.item)}>
                  Reply to this
                </button>
              )}
            </Show>
            <Show when={!props.item.deleted}>
              <HideButton handle={props.handle} itemId={props.item.id} onError={setError} />
            </Show>
            <Show when={editable()}>
              <button type="button" class="quiet" ref={editButton} onClick={startEdit}>
                Edit
              </button>
            </Show>
            {/* A forgery under one's own name can still be deleted, never edited (re-signed). */}
            <Show when={claimsMe()}>
              <button type="button" class="quiet danger" onClick={() => dialog?.showModal()}>
                Delete
              </button>
              <dialog
                ref={dialog}
                class="confirm"
                aria-labelledby={`delete-title-${props.item.id}`}
              >
                <h3 id={`delete-title-${props.item.id}`}>Delete this {word().toLowerCase()}?</h3>
                <p>Everyone will see that it was deleted by its author. This cannot be undone.</p>
                <div class="actions">
                  <button type="button" class="primary danger-fill" onClick={remove}>
                    Delete
                  </button>
                  <button type="button" onClick={() => dialog?.close()}>
                    Keep it
                  </button>
                </div>
              </dialog>
            </Show>
          </div>
        </Show>
      </Show>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
    </article>
  );
}

/**
 * A short reference to the quoted item: who and their first line, with a way to go there. The
 * quote shows the same check as the quoted card; a quote that is not verified shows no words.
 */
function QuoteRef(props: {
  quoted: CardItem | null;
  handle: GroupHandle;
  onJump?: ((id: string) => void) | undefined;
}) {
  const trust = (): Trust | undefined => {
    const q = props.quoted;
    return q ? props.handle.trust(q.id, q.status) : undefined;
  };
  const text = () => {
    const q = props.quoted;
    if (!q) return 'a message that has not arrived on this device yet';
    if (q.deleted) return 'a deleted message';
    const t = trust();
    if (t === 'checking') return '(checking…)';
    if (t !== 'valid') return 'a message that could not be verified';
    return firstLine(q.body);
  };
  const who = () => props.quoted?.authorName ?? 'Unknown member';
  return (
    <Show
      when={props.quoted && props.onJump}
      fallback={
        <p class="quote-ref" data-trust={trust() ?? 'missing'}>
          <span class="quote-who">{who()}</span> {text()}
        </p>
      }
    >
      <button
        type="button"
        class="quote-ref"
        data-trust={trust()}
        aria-label={`Go to the quoted ${props.quoted?.kind ?? 'message'} by ${who()}: ${text()}`}
        onClick={() => {
          const q = props.quoted;
          if (q) props.onJump?.(q.id);
        }}
      >
        <span class="quote-who">{who()}</span> <span class="quote-text">{text()}</span>
      </button>
    </Show>
  );
}
