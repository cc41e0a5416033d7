// Writing a post: a title and a markdown body with a Write/Preview toggle. What is typed is
// kept as a sealed local draft on every change, so a reload, a crash or a lost connection
// never costs the writer their words; publishing clears it.
import { createResource, createSignal, Match, onCleanup, Show, Switch } from 'solid-js';
import type { Draft } from '../../../core/drafts/Drafts.ts';
import { dateTimeFormat as timeFormat } from '../../components/dates.ts';
import { Markdown } from '../../components/Markdown.tsx';
import { TopBar } from '../../components/TopBar.tsx';
import { href, navigate } from '../../router.ts';
import { messageFor } from '../../state/errors.ts';
import { useHandles, useHearth } from '../../state/hearthContext.ts';
import { postRoute, postsRoute } from './routes.ts';

const SLOT = { kind: 'post' } as const;

export function NewPost(props: { groupId: string }) {
  const hearth = useHearth();
  const handles = useHandles();

  const [title, setTitle] = createSignal('');
  const [body, setBody] = createSignal('');
  const [mode, setMode] = createSignal<'write' | 'preview'>('write');
  const [error, setError] = createSignal('');
  const [draftNote, setDraftNote] = createSignal('');
  const [saveState, setSaveState] = createSignal<'idle' | 'saving' | 'saved' | 'failed'>('idle');

  const [ready] = createResource(
    () => props.groupId,
    async (groupId) => {
      const handle = await handles.open(groupId);
      if (!handle) return null;
      const drafts = handle.drafts;
      let draft: Draft | null = null;
      try {
        draft = await drafts.load(SLOT);
      } catch (e) {
        setDraftNote(messageFor(e, 'Your saved draft could not be read.'));
      }
      if (draft) {
        setTitle(draft.title);
        setBody(draft.body);
        setDraftNote(`Draft restored from ${timeFormat.format(draft.savedAt)}.`);
        setSaveState('saved');
      }
      return { handle, drafts };
    },
  );

  // Saves run one at a time; typing during a save queues one more with the latest text.
  let saving: Promise<void> | null = null;
  let again = false;
  let closed = false;
  const persist = (): void => {
    const r = ready();
    if (!r || closed) return;
    if (saving) {
      again = true;
      return;
    }
    setSaveState('saving');
    const snapshot = { title: title(), body: body(), savedAt: Date.now() };
    saving = r.drafts
      .save(SLOT, snapshot)
      .then(
        () => {
          if (!again) setSaveState('saved');
        },
        () => {
          setSaveState('failed');
        },
      )
      .finally(() => {
        saving = null;
        if (again) {
          again = false;
          persist();
        }
      });
  };
  onCleanup(() => {
    closed = true;
  });

  const edit = (set: (v: string) => void) => (e: { currentTarget: { value: string } }) => {
    set(e.currentTarget.value);
    persist();
  };

  const discard = async () => {
    const r = ready();
    if (!r) return;
    await saving;
    await r.drafts.clear(SLOT);
    setTitle('');
    setBody('');
    setDraftNote('Draft discarded.');
    setSaveState('idle');
  };

  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    const r = ready();
    if (!r) return;
    try {
      const id = r.handle.posts.createPost({ title: title(), body: body() });
      closed = true;
      await saving;
      await r.drafts.clear(SLOT);
      navigate(href(postRoute, { groupId: props.groupId, postId: id }), { replace: true });
    } catch (err) {
      setError(messageFor(err, 'This post could not be saved. Try again.'));
    }
  };

  const saveLabel = () =>
    ({
      idle: '',
      saving: 'Saving draft…',
      saved: 'Draft saved on this device.',
      failed: 'The draft could not be saved on this device; keep this page open.',
    })[saveState()];

  return (
    <>
      <TopBar
        title="New post"
        back={href(postsRoute, { groupId: props.groupId })}
        backLabel="Posts"
      />
      <main>
        <Switch>
          <Match when={ready.loading}>
            <p aria-busy="true">Opening…</p>
          </Match>
          <Match when={ready.error}>
            <p class="error" role="alert">
              This group could not be opened on this device.
            </p>
          </Match>
          <Match when={ready() === null}>
            <p>This device is not in that group. Ask a member for an invite link.</p>
          </Match>
          <Match when={ready()}>
            <form onSubmit={submit} class="post-editor">
              <div class="field">
                <label for="post-title">Title</label>
                <input
                  id="post-title"
                  required
                  maxLength={200}
                  value={title()}
                  onInput={edit(setTitle)}
                />
              </div>
              <fieldset class="segmented">
                <legend class="visually-hidden">Editor mode</legend>
                <button
                  type="button"
                  aria-pressed={mode() === 'write'}
                  onClick={() => setMode('write')}
                >
                  Write
                </button>
                <button
                  type="button"
                  aria-pressed={mode() === 'preview'}
                  onClick={() => setMode('preview')}
                >
                  Preview
                </button>
              </fieldset>
              <Show
                when={mode() === 'write'}
                fallback={
                  <section class="card preview" aria-label="Preview">
                    <h2>{title() || 'Untitled'}</h2>
                    <Show when={body().trim()} fallback={<p class="hint">Nothing written yet.</p>}>
                      <Markdown source={body()} me={hearth.identity?.id ?? ''} />
                    </Show>
                  </section>
                }
              >
                <div class="field">
                  <label for="post-body">Body</label>
                  <textarea
                    id="post-body"
                    rows={14}
                    value={body()}
                    onInput={edit(setBody)}
                    aria-describedby="post-body-hint"
                  />
                  <p class="hint" id="post-body-hint">
                    Markdown works: # headings, - lists, &gt; quotes, ``` code blocks,
                    [links](https://…) and | tables |.
                  </p>
                </div>
              </Show>
              <p class="hint" role="status" data-testid="draft-status">
                {draftNote()} {saveLabel()}
              </p>
              <p class="error" role="alert">
                {error()}
              </p>
              <div class="actions">
                <button class="primary" type="submit" disabled={!title().trim()}>
                  Publish
                </button>
                <Show when={saveState() !== 'idle'}>
                  <button type="button" class="quiet" onClick={() => void discard()}>
                    Discard draft
                  </button>
                </Show>
              </div>
            </form>
          </Match>
        </Switch>
      </main>
    </>
  );
}
