// Starting a discussion: a title and an optional opening message, then straight into it.
import { createSignal } from 'solid-js';
import { TopBar } from '../components/TopBar.tsx';
import { href, navigate } from '../router.ts';
import { messageFor } from '../state/errors.ts';
import { useHearth } from '../state/hearthContext.ts';

export function NewThread(props: { groupId: string }) {
  const hearth = useHearth();
  const [title, setTitle] = createSignal('');
  const [body, setBody] = createSignal('');
  const [error, setError] = createSignal('');
  const submit = async (e: Event) => {
    e.preventDefault();
    setError('');
    try {
      const rt = await hearth.open(props.groupId);
      const id = rt.group.startThread(hearth.me, { title: title(), body: body() });
      navigate(href.thread(props.groupId, id), { replace: true });
    } catch (err) {
      setError(messageFor(err));
    }
  };
  return (
    <>
      <TopBar title="New thread" back={href.group(props.groupId)} />
      <main>
        <form onSubmit={submit}>
          <div class="field">
            <label for="thread-title">Title</label>
            <input
              id="thread-title"
              required
              maxLength={200}
              value={title()}
              onInput={(e) => setTitle(e.currentTarget.value)}
            />
          </div>
          <div class="field">
            <label for="thread-body">Message</label>
            <textarea
              id="thread-body"
              rows={6}
              value={body()}
              onInput={(e) => setBody(e.currentTarget.value)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey))
                  e.currentTarget.form?.requestSubmit();
              }}
            />
            <p class="hint">
              Markdown works: **bold**, lists, links, `code`. Mention someone with @ and their name.
              Ctrl or Command plus Enter starts the thread.
            </p>
          </div>
          <p class="error" role="alert">
            {error()}
          </p>
          <button class="primary" type="submit" disabled={!title().trim()}>
            Start thread
          </button>
        </form>
      </main>
    </>
  );
}
