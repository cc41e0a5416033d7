// One note: its title (any member may rename it), the text read as rendered markdown or
// edited together (the editor is a chunk of its own, loaded on "Edit"), who edited it and
// when (signed revision records, and whether the text shown is what the last one signed),
// the notes that link here, and the threads and posts that cite it.
import {
  createEffect,
  createMemo,
  createResource,
  createSignal,
  For,
  lazy,
  onCleanup,
  Show,
  Suspense,
} from 'solid-js';
import type { Place } from '../../../core/features/Feature.ts';
import type { SyncStatus } from '../../../core/sync/syncStatus.ts';
import { dateText, dateTimeFormat } from '../../components/dates.ts';
import { Markdown } from '../../components/Markdown.tsx';
import { NotHere } from '../../components/NotHere.tsx';
import { SyncBadge } from '../../components/SyncBadge.tsx';
import { TopBar } from '../../components/TopBar.tsx';
import { TrustMark } from '../../components/TrustMark.tsx';
import { href, navigate } from '../../router.ts';
import { messageFor } from '../../state/errors.ts';
import { useGroup, useHearth } from '../../state/hearthContext.ts';
import { holdPaint } from '../../state/paint.ts';
import { threadRoute } from '../discussion/routes.ts';
import { postRoute } from '../posts/routes.ts';
import { noteLinker } from './noteLinks.ts';
import { noteRoute, notesRoute } from './routes.ts';

const loadEditor = () => import('./NoteEditor.tsx');
const NoteEditor = lazy(loadEditor);

/** Where a citing thread, reply, post or comment is read (Notes.citedBy names the place). */
function citationHref(groupId: string, place: Place): string {
  const { postId, threadId } = place.params;
  if (place.route === 'post' && postId) return href(postRoute, { groupId, postId });
  return threadId ? href(threadRoute, { groupId, threadId }) : href(notesRoute, { groupId });
}

/** Edits are signed once the member pauses this long (and when they finish or leave). */
const SIGN_AFTER_MS = 3000;

export function NoteScreen(props: { groupId: string; noteId: string; edit?: boolean }) {
  const hearth = useHearth();
  const handle = useGroup(() => props.groupId);
  const note = createMemo(() => {
    const h = handle();
    if (!h) return undefined;
    h.version();
    return h.notes.note(props.noteId);
  });
  const [session] = createResource(
    () => handle() ?? undefined,
    (h) => h.openNote(props.noteId),
  );
  const [text, setText] = createSignal('');
  const [status, setStatus] = createSignal<SyncStatus | undefined>(undefined, { equals: false });
  createEffect(() => {
    const s = session();
    if (!s) return;
    const update = () => setText(s.text.toString());
    update();
    s.text.observe(update);
    setStatus(s.status());
    const off = s.onStatus(setStatus);
    onCleanup(() => {
      s.text.unobserve(update);
      off();
    });
  });

  const [editing, setEditing] = createSignal(props.edit === true);
  // Opened straight into the editor: fetch its chunk while the note's document loads.
  if (props.edit) void loadEditor().catch(() => undefined);
  // Until the note is on screen (its text, or the editor ready to type in), sync and other
  // work that waits for the paint waits for it (paint.ts).
  const shown = holdPaint();
  onCleanup(shown);
  createEffect(() => {
    if (session.error || (session() && !editing())) shown();
  });
  const [renaming, setRenaming] = createSignal(false);
  const [newTitle, setNewTitle] = createSignal('');
  const [error, setError] = createSignal('');

  // This member's edits are signed as a revision record after a pause, on "Done" and on
  // leaving; nothing is signed for text only others changed.
  let dirty = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const sign = () => {
    clearTimeout(timer);
    const h = handle();
    const s = session();
    if (!dirty || !h || !s) return;
    dirty = false;
    try {
      h.notes.recordRevision(props.noteId, s.text.toString());
    } catch (e) {
      setError(messageFor(e, 'Your edit is kept, but it could not be signed.'));
    }
    void s.save().catch(() => undefined);
  };
  const edited = () => {
    dirty = true;
    clearTimeout(timer);
    timer = setTimeout(sign, SIGN_AFTER_MS);
  };
  onCleanup(sign);

  const groupName = () => {
    const h = handle();
    if (!h) return hearth.entry(props.groupId)?.name ?? 'Group';
    h.version();
    return h.name();
  };
  const rename = (e: SubmitEvent) => {
    e.preventDefault();
    try {
      handle()?.notes.rename(props.noteId, newTitle());
      setRenaming(false);
      setError('');
    } catch (err) {
      setError(messageFor(err));
    }
  };

  return (
    <>
      <TopBar
        title={groupName()}
        back={href(notesRoute, { groupId: props.groupId })}
        backLabel="Notes"
      />
      <main class="note-screen">
        <p>
          <SyncBadge status={status()} />
        </p>
        <Show when={handle() && note()} fallback={<NotHere handle={handle} what="note" />}>
          {(_) => {
            const h = () => handle()!;
            const n = () => note()!;
            const last = () => n().lastRevision;
            const signedNow = () => {
              const r = last();
              return r !== undefined && h().notes.matches(r, text());
            };
            const backlinks = createMemo(() => {
              h().version();
              return h().notes.backlinks(props.noteId);
            });
            const cited = createMemo(() => {
              h().version();
              return h().notes.citedBy(props.noteId);
            });
            return (
              <>
                <Show
                  when={renaming()}
                  fallback={
                    <div class="note-head">
                      <h2 class="post-title">{n().title}</h2>
                      <button
                        type="button"
                        class="quiet"
                        onClick={() => {
                          setNewTitle(n().title);
                          setRenaming(true);
                        }}
                      >
                        Rename
                      </button>
                    </div>
                  }
                >
                  <form class="edit-form" aria-label="Rename note" onSubmit={rename}>
                    <div class="field">
                      <label for="note-title">Title</label>
                      <input
                        id="note-title"
                        required
                        maxLength={200}
                        value={newTitle()}
                        onInput={(e) => setNewTitle(e.currentTarget.value)}
                      />
                    </div>
                    <div class="actions">
                      <button type="submit" class="primary">
                        Save title
                      </button>
                      <button type="button" class="quiet" onClick={() => setRenaming(false)}>
                        Cancel
                      </button>
                    </div>
                  </form>
                </Show>
                <Show when={n().formerTitles.length > 0}>
                  <p class="hint">Formerly: {n().formerTitles.join(', ')}</p>
                </Show>
                <p class="hint note-attribution" data-testid="note-attribution">
                  <Show
                    when={last()}
                    fallback={`Started by ${n().authorName ?? 'Unknown member'}. Nobody has signed an edit yet.`}
                  >
                    {(r) => (
                      <>
                        Last signed edit by {r().authorName ?? 'Unknown member'},{' '}
                        <time datetime={new Date(r().at).toISOString()}>
                          {dateText(dateTimeFormat, r().at)}
                        </time>{' '}
                        <TrustMark trust={h().trust(r().id, r().status)} />
                        {signedNow()
                          ? ' · the text below is exactly what they signed.'
                          : ' · the text has changed since; the change is not signed yet.'}
                      </>
                    )}
                  </Show>
                </p>
                <div class="actions">
                  <Show
                    when={editing()}
                    fallback={
                      <button type="button" class="primary" onClick={() => setEditing(true)}>
                        Edit
                      </button>
                    }
                  >
                    <button
                      type="button"
                      class="primary"
                      onClick={() => {
                        sign();
                        setEditing(false);
                      }}
                    >
                      Done
                    </button>
                  </Show>
                </div>
                <p class="error" role="alert">
                  {error()}
                </p>
                <Show
                  when={editing() && session()}
                  fallback={
                    <Show
                      when={text() !== ''}
                      fallback={
                        <p class="empty">
                          {session.loading ? 'Opening…' : 'This note is empty. Tap Edit to write.'}
                        </p>
                      }
                    >
                      <article class="note-body" aria-label="Note text">
                        <Markdown source={text()} noteLink={noteLinker(h())} />
                      </article>
                    </Show>
                  }
                >
                  {(s) => (
                    <Suspense fallback={<p class="hint">Loading the editor…</p>}>
                      <NoteEditor
                        session={s()}
                        me={h().me() ?? ''}
                        nameOf={(id) => h().member(id)?.name ?? null}
                        titles={(q) => h().notes.titleCandidates(q)}
                        label={`Text of ${n().title}`}
                        onLocalChange={edited}
                        onReady={shown}
                      />
                    </Suspense>
                  )}
                </Show>
                <section aria-labelledby="backlinks-title">
                  <h3 id="backlinks-title">Linked from</h3>
                  <Show
                    when={backlinks().length > 0}
                    fallback={<p class="hint">No other note links here yet.</p>}
                  >
                    <ul class="list" aria-label="Notes that link here">
                      <For each={backlinks()}>
                        {(b) => (
                          <li>
                            <a
                              class="row-link"
                              href={href(noteRoute, { groupId: props.groupId, noteId: b.id })}
                            >
                              {b.title}
                            </a>
                          </li>
                        )}
                      </For>
                    </ul>
                  </Show>
                </section>
                <section aria-labelledby="cited-title">
                  <h3 id="cited-title">Cited in</h3>
                  <Show
                    when={cited().length > 0}
                    fallback={
                      <p class="hint">
                        No thread or post cites this note yet. Write [[{n().title}]] in one.
                      </p>
                    }
                  >
                    <ul class="list" aria-label="Threads and posts that cite this note">
                      <For each={cited()}>
                        {(c) => (
                          <li>
                            <a class="row-link" href={citationHref(props.groupId, c.place)}>
                              <span class="grow">
                                <span class="title">{c.label}</span>
                                <span class="hint">
                                  {c.authorName ?? 'Unknown member'} ·{' '}
                                  {dateText(dateTimeFormat, c.createdAt)}{' '}
                                  <TrustMark trust={h().trust(c.id, c.status)} />
                                </span>
                              </span>
                            </a>
                          </li>
                        )}
                      </For>
                    </ul>
                  </Show>
                </section>
                <details class="note-history">
                  <summary>History: {n().revisions} signed edits</summary>
                  <ol class="list" aria-label="Signed edits, newest first">
                    <For each={h().notes.revisions(props.noteId)}>
                      {(r) => (
                        <li>
                          {r.authorName ?? 'Unknown member'} ·{' '}
                          <time datetime={new Date(r.at).toISOString()}>
                            {dateText(dateTimeFormat, r.at)}
                          </time>{' '}
                          · {r.chars} characters <TrustMark trust={h().trust(r.id, r.status)} />
                        </li>
                      )}
                    </For>
                  </ol>
                </details>
              </>
            );
          }}
        </Show>
      </main>
    </>
  );
}

/** A `[[title]]` link: opens the note with that title, starting it first when there is none. */
export function NoteByTitle(props: { groupId: string; title: string }) {
  const handle = useGroup(() => props.groupId);
  const [error, setError] = createSignal('');
  createEffect(() => {
    const h = handle();
    if (!h) return;
    try {
      const noteId = h.notes.ensureNote(props.title);
      navigate(href(noteRoute, { groupId: props.groupId, noteId }), { replace: true });
    } catch (e) {
      setError(messageFor(e));
    }
  });
  return (
    <>
      <TopBar
        title={props.title}
        back={href(notesRoute, { groupId: props.groupId })}
        backLabel="Notes"
      />
      <main>
        <p class="error" role="alert">
          {error()}
        </p>
        <Show when={!error()}>
          <p class="empty">Opening “{props.title}”…</p>
        </Show>
      </main>
    </>
  );
}
