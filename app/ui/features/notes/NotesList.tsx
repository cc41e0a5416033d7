// The Notes tab: the group's pages, most recently edited first, and a field to start one.
// Only the index is read here (titles and signed revision records); no note's text loads.
import { createMemo, createSignal, For, Show } from 'solid-js';
import { dateFormat } from '../../components/dates.ts';
import { ItemRow } from '../../components/ItemRow.tsx';
import { ShowMore } from '../../components/ShowMore.tsx';
import { href, navigate } from '../../router.ts';
import { messageFor } from '../../state/errors.ts';
import { usePaged } from '../../state/paged.ts';
import type { TabProps } from '../Feature.ts';
import { noteRoute } from './routes.ts';

export function NotesList(props: TabProps) {
  const ids = createMemo(() => {
    props.handle.version();
    return props.handle.notes.noteIds();
  });
  const page = usePaged(ids);
  const visible = createMemo(() => {
    props.handle.version();
    return page.visible().flatMap((id) => props.handle.notes.note(id) ?? []);
  });
  const [title, setTitle] = createSignal('');
  const [error, setError] = createSignal('');
  const start = (e: SubmitEvent) => {
    e.preventDefault();
    try {
      const noteId = props.handle.notes.createNote(title());
      setTitle('');
      setError('');
      navigate(href(noteRoute, { groupId: props.handle.id, noteId }));
    } catch (err) {
      setError(messageFor(err));
    }
  };
  return (
    <>
      <form class="new-note" aria-label="Start a note" onSubmit={start}>
        <div class="field">
          <label for="new-note-title">New note</label>
          <input
            id="new-note-title"
            required
            maxLength={200}
            placeholder="A title, like “Seed bank plan”"
            value={title()}
            onInput={(e) => setTitle(e.currentTarget.value)}
          />
        </div>
        <button type="submit" class="primary">
          Start note
        </button>
        <p class="error" role="alert">
          {error()}
        </p>
      </form>
      <h2>Notes</h2>
      <Show
        when={ids().length > 0}
        fallback={
          <p class="empty">
            No notes yet. Notes are pages the group writes together: plans, findings, reading notes.
            Link them to each other with [[Page title]].
          </p>
        }
      >
        <ul class="list" aria-label="Notes">
          <For each={visible()}>
            {(n) => {
              const trust = () => props.handle.trust(n.id, n.status);
              const last = () => n.lastRevision;
              return (
                <ItemRow
                  href={href(noteRoute, { groupId: props.handle.id, noteId: n.id })}
                  trust={trust()}
                  title={n.title}
                  hint={
                    <>
                      {last()
                        ? `Edited by ${last()!.authorName ?? 'Unknown member'} · `
                        : `Started by ${n.authorName ?? 'Unknown member'} · `}
                      <time datetime={new Date(last()?.at ?? n.createdAt).toISOString()}>
                        {dateFormat.format(last()?.at ?? n.createdAt)}
                      </time>
                    </>
                  }
                />
              );
            }}
          </For>
        </ul>
        <ShowMore remaining={page.remaining()} step={page.step} noun="notes" onMore={page.more} />
      </Show>
    </>
  );
}
