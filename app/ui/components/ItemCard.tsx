// One authored item (a thread's opening message, a reply, a post body or a comment) with
// everything a reader can do to it. The card checks the item's signature itself when it is
// rendered, so only what is on screen is ever verified, and a failed check is never quiet.
import {
  createEffect,
  createMemo,
  createResource,
  createSignal,
  type JSX,
  on,
  onCleanup,
  Show,
} from 'solid-js';
import type { Group } from '../../core/group/Group.ts';
import type { VerifyStatus } from '../../core/group/Verifier.ts';
import type { ItemView } from '../../core/group/views.ts';
import { messageFor } from '../state/errors.ts';
import { useHearth } from '../state/hearthContext.ts';
import { firstLine } from './Composer.tsx';
import { Markdown } from './Markdown.tsx';
import { Reactions } from './Reactions.tsx';
import { verifyBatched } from './verifyBatch.ts';

export interface ItemCardProps {
  readonly item: ItemView;
  readonly group: Group;
  /** A result of `group.verify` for this item; when omitted the card checks itself. */
  readonly check?: VerifyStatus | undefined;
  /** The item this one quotes; by default looked up from `item.quoteOf`. */
  readonly quoted?: ItemView | undefined;
  /** Offers "Reply to this" and passes the item back. */
  readonly onQuote?: (item: ItemView) => void;
  /** Makes the quote reference a button that shows the quoted item. */
  readonly onJump?: (id: string) => void;
  /** Extra content under the header (e.g. a "new" marker). */
  readonly children?: JSX.Element;
}

const time = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

const KIND_WORD = { thread: 'Message', reply: 'Reply', post: 'Post', comment: 'Comment' } as const;

/** The DOM id of an item's card, for jump links and focus. */
export const itemElementId = (id: string): string => `item-${id}`;

export function ItemCard(props: ItemCardProps) {
  const hearth = useHearth();
  const me = () => hearth.me;
  // Moves when this item, the item it quotes, or member names change.
  const [rev, setRev] = createSignal(0);
  createEffect(() => {
    const group = props.group;
    const id = props.item.id;
    const quoteOf = 'quoteOf' in props.item ? props.item.quoteOf : undefined;
    const off = group.onChange((c) => {
      if (c.members || c.items.has(id) || (quoteOf !== undefined && c.items.has(quoteOf))) {
        setRev((r) => r + 1);
      }
    });
    onCleanup(off);
  });

  const [selfCheck] = createResource(
    () => (props.check === undefined ? { item: props.item, rev: rev() } : null),
    ({ item }) => verifyBatched(props.group, item.id),
  );
  const check = (): VerifyStatus | undefined => props.check ?? selfCheck.latest;
  const suspect = () => check() === 'forged' || check() === 'not-a-member';
  const author = () => props.item.authorName ?? 'Unknown member';
  const claimsMe = () => props.item.author === me().id;
  const mine = () => claimsMe() && !suspect();
  const mentionsMe = () => !props.item.deleted && props.item.mentions.includes(me().id);
  const word = () => KIND_WORD[props.item.kind];
  const hasTitle = () => props.item.kind === 'thread' || props.item.kind === 'post';
  const editable = () =>
    mine() && !props.item.deleted && !(props.item.kind === 'post' && props.item.sharedFrom);

  const quoted = createMemo(() => {
    rev();
    if (props.quoted) return props.quoted;
    const id = 'quoteOf' in props.item ? props.item.quoteOf : undefined;
    return id ? (props.group.item(id) ?? null) : undefined;
  });

  const [editing, setEditing] = createSignal(false);
  const [editTitle, setEditTitle] = createSignal('');
  const [editBody, setEditBody] = createSignal('');
  const [error, setError] = createSignal('');
  let editButton: HTMLButtonElement | undefined;
  let dialog: HTMLDialogElement | undefined;

  const startEdit = () => {
    setEditTitle('title' in props.item ? props.item.title : '');
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
      props.group.edit(me(), props.item.id, {
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
      props.group.remove(me(), props.item.id);
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
      check() === 'forged' ? 'warning: possibly forged' : '',
      check() === 'not-a-member' ? 'warning: not from a member' : '',
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
        forged: check() === 'forged',
        mine: mine(),
        'mentions-me': mentionsMe(),
        checking: check() === undefined,
      }}
      aria-label={label()}
      data-verify={check() ?? 'checking'}
    >
      <header>
        <span class="author">
          {author()}
          <Show when={suspect()}>
            <span class="unverified"> (unverified)</span>
          </Show>
        </span>
        <time datetime={new Date(props.item.createdAt).toISOString()}>
          {time.format(props.item.createdAt)}
        </time>
        <Show when={props.item.editedAt !== undefined && !props.item.deleted}>
          <span class="edited" title={time.format(props.item.editedAt ?? 0)}>
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
          {check() === 'forged'
            ? `Warning: this is not signed by ${author()}. Someone else may have written it.`
            : 'Warning: written by someone who is not a member of this group.'}
        </p>
      </Show>
      <Show when={quoted() !== undefined}>
        <QuoteRef quoted={quoted() ?? null} onJump={props.onJump} />
      </Show>
      <Show when={!props.item.deleted} fallback={<p class="tombstone">Deleted by its author.</p>}>
        <Show
          when={editing()}
          fallback={
            <Markdown
              source={props.item.body}
              mentions={props.group.mentionTargets(props.item)}
              me={me().id}
            />
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
              group={props.group}
              itemId={props.item.id}
              me={me()}
              rev={rev()}
              canReact={!props.item.deleted}
              onError={setError}
            />
            <Show when={props.onQuote}>
              {(onQuote) => (
                <button type="button" class="quiet" onClick={() => onQuote()(props.item)}>
                  Reply to this
                </button>
              )}
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

/** A short reference to the quoted item: who and their first line, with a way to go there. */
function QuoteRef(props: { quoted: ItemView | null; onJump?: ((id: string) => void) | undefined }) {
  const text = () => {
    const q = props.quoted;
    if (!q) return 'a message that has not arrived on this device yet';
    return q.deleted ? 'a deleted message' : firstLine(q.body);
  };
  const who = () => props.quoted?.authorName ?? 'Unknown member';
  return (
    <Show
      when={props.quoted && props.onJump}
      fallback={
        <p class="quote-ref">
          <span class="quote-who">{who()}</span> {text()}
        </p>
      }
    >
      <button
        type="button"
        class="quote-ref"
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
