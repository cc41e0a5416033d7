// The one composer for replies and comments: sticky above the on-screen keyboard, Ctrl/Cmd+
// Enter sends, an optional quoted item, and @mention autocomplete as a listbox the keyboard
// can drive (arrows, Enter or Tab to pick, Escape to close).
import { createEffect, createMemo, createSignal, createUniqueId, For, on, Show } from 'solid-js';
import type { MemberView } from '../../core/group/members.ts';
import { messageFor } from '../state/errors.ts';
import type { GroupHandle } from '../state/GroupHandle.ts';
import type { CardItem } from './ItemCard.tsx';
import { findMentionQuery, insertMention, type MentionQuery } from './mentionQuery.ts';

export interface ComposerProps {
  /** Accessible name of the text field ("Reply", "Comment"). */
  readonly label: string;
  /** Text of the send button ("Send"). */
  readonly submitLabel: string;
  /** Source of @mention candidates; without it there is no autocomplete. */
  readonly handle?: Pick<GroupHandle, 'mentionCandidates'> | undefined;
  /** Saves the text; throw to keep the draft and show the error's message. */
  readonly onSubmit: (body: string, quoteOf?: string) => void | Promise<void>;
  /** The item being answered, shown above the field with a way to drop it. */
  readonly quoting?: CardItem | undefined;
  readonly onCancelQuote?: () => void;
  readonly placeholder?: string;
}

/** First line of an item's text, shortened, for quote references. */
export function firstLine(body: string, max = 80): string {
  const line = body.split('\n').find((l) => l.trim() !== '') ?? '';
  const plain = line.replace(/^[#>*\-+\s]+/, '').trim();
  return plain.length > max ? `${plain.slice(0, max - 1)}…` : plain;
}

export function Composer(props: ComposerProps) {
  const uid = createUniqueId();
  const fieldId = `composer-${uid}`;
  const listId = `mentions-${uid}`;
  let field: HTMLTextAreaElement | undefined;
  const [draft, setDraft] = createSignal('');
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const [query, setQuery] = createSignal<MentionQuery | null>(null);
  const [active, setActive] = createSignal(0);

  const candidates = createMemo<MemberView[]>(() => {
    const q = query();
    const handle = props.handle;
    return q && handle ? handle.mentionCandidates(q.prefix, 6) : [];
  });
  const open = () => candidates().length > 0;
  const optionId = (i: number) => `${listId}-${i}`;

  // Answering someone moves the writer straight to the field.
  createEffect(
    on(
      () => props.quoting?.id,
      (id) => {
        if (id) field?.focus();
      },
      { defer: true },
    ),
  );

  const refreshQuery = () => {
    if (!field) return;
    const caret = field.selectionStart;
    const q = caret === field.selectionEnd ? findMentionQuery(field.value, caret) : null;
    const prev = query();
    if (q?.start !== prev?.start || q?.prefix !== prev?.prefix) {
      setQuery(q);
      setActive(0);
    }
  };

  const pick = (m: MemberView) => {
    const q = query();
    if (!q || !field) return;
    const next = insertMention(field.value, q, field.selectionStart, m.name);
    setDraft(next.text);
    field.value = next.text;
    field.setSelectionRange(next.caret, next.caret);
    field.focus();
    setQuery(null);
  };

  const send = async () => {
    const body = draft();
    if (!body.trim() || busy()) return;
    setBusy(true);
    try {
      await props.onSubmit(body, props.quoting?.id);
      setDraft('');
      setError('');
      setQuery(null);
    } catch (err) {
      setError(messageFor(err));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void send();
      return;
    }
    if (!open()) return;
    const n = candidates().length;
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((i) => (i + 1) % n);
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => (i - 1 + n) % n);
    } else if (e.key === 'Enter' || e.key === 'Tab') {
      const m = candidates()[active()];
      if (m) {
        e.preventDefault();
        pick(m);
      }
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      setQuery(null);
    }
  };

  return (
    <form
      class="composer"
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
    >
      <Show when={props.quoting}>
        {(q) => (
          <div class="composer-quote">
            <span class="grow">
              Answering <strong>{q().authorName ?? 'Unknown member'}</strong>:{' '}
              {q().deleted ? 'deleted' : firstLine(q().body)}
            </span>
            <button
              type="button"
              class="quiet"
              aria-label="Stop answering"
              onClick={() => {
                props.onCancelQuote?.();
                field?.focus();
              }}
            >
              ✕
            </button>
          </div>
        )}
      </Show>
      <Show when={open()}>
        <div id={listId} class="mention-list" role="listbox" aria-label="Mention a member">
          <For each={candidates()}>
            {(m, i) => (
              // biome-ignore lint/a11y/useKeyWithClickEvents: the field drives the keyboard (aria-activedescendant)
              <div
                id={optionId(i())}
                role="option"
                tabIndex={-1}
                aria-selected={i() === active()}
                classList={{ active: i() === active() }}
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(m)}
              >
                {m.name}
              </div>
            )}
          </For>
        </div>
      </Show>
      <div class="composer-row">
        <label class="visually-hidden" for={fieldId}>
          {props.label}
        </label>
        <textarea
          id={fieldId}
          ref={field}
          rows={2}
          value={draft()}
          placeholder={props.placeholder ?? ''}
          aria-autocomplete="list"
          aria-controls={open() ? listId : undefined}
          aria-activedescendant={open() ? optionId(active()) : undefined}
          aria-describedby={`${fieldId}-hint`}
          onInput={(e) => {
            setDraft(e.currentTarget.value);
            refreshQuery();
          }}
          onKeyDown={onKeyDown}
          onKeyUp={(e) => {
            if (['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) refreshQuery();
          }}
          onClick={refreshQuery}
          onBlur={() => setQuery(null)}
        />
        <button class="primary" type="submit" disabled={!draft().trim() || busy()}>
          {props.submitLabel}
        </button>
      </div>
      <p id={`${fieldId}-hint`} class="visually-hidden">
        Ctrl or Command plus Enter sends. Type @ to mention someone.
      </p>
      <p class="visually-hidden" role="status">
        {open() ? `${candidates().length} members match. Use the arrow keys and Enter.` : ''}
      </p>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
    </form>
  );
}
