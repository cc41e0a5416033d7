// Starting a discussion: a title and an optional opening message, then straight into it.
import { createSignal } from 'solid-js';
import { TopBar } from '../../components/TopBar.tsx';
import { href, navigate } from '../../router.ts';
import { groupRoute } from '../../screens/routes.ts';
import { messageFor } from '../../state/errors.ts';
import { useGroup } from '../../state/hearthContext.ts';
import { threadRoute } from './routes.ts';

export function NewThread(props: { groupId: string }) {
  const handle = useGroup(() => props.groupId);
  const [title, setTitle] = createSignal('');
  const [body, setBody] = createSignal('');
  const [error, setError] = createSignal('');
  const submit = (e: Event) => {
    e.preventDefault();
    setError('');
    try {
      const h = handle();
      if (!h) {
        setError(
          handle.loading
            ? 'This group is still opening. Try again in a moment.'
            : 'This device is not in that group. Ask a member for an invite link.',
        );
        return;
      }
      const id = h.discussion.startThread({ title: title(), body: body() });
      navigate(href(threadRoute, { groupId: props.groupId, threadId: id }), { replace: true });
    } catch (err) {
      setError(messageFor(err));
    }
  };
  return (
    <>
      <TopBar title="New thread" back={href(groupRoute, { groupId: props.groupId })} />
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
