// Sharing a post into another of the member's groups. A modal <dialog> gives focus
// handling, Escape and the backdrop for free; the copy keeps the original signed post, so
// readers in the other group can still check that the words are the author's own.
import { createEffect, createSignal, For, Show } from 'solid-js';
import { href } from '../../router.ts';
import { messageFor } from '../../state/errors.ts';
import { useHearth, useHearthVersion } from '../../state/hearthContext.ts';
import { postRoute } from './routes.ts';

export function ShareDialog(props: {
  fromGroupId: string;
  postId: string;
  open: boolean;
  onClose: () => void;
}) {
  const hearth = useHearth();
  const version = useHearthVersion();
  let dialog: HTMLDialogElement | undefined;
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal('');
  const [done, setDone] = createSignal<{ groupId: string; name: string; postId: string } | null>(
    null,
  );
  const others = () => {
    version();
    return hearth.groups().filter((g) => g.groupId !== props.fromGroupId);
  };

  createEffect(() => {
    if (!dialog) return;
    if (props.open && !dialog.open) {
      setError('');
      setDone(null);
      dialog.showModal();
    } else if (!props.open && dialog.open) dialog.close();
  });

  const share = async (groupId: string, name: string) => {
    setBusy(true);
    setError('');
    try {
      const postId = await hearth.sharePost(props.fromGroupId, props.postId, groupId);
      setDone({ groupId, name, postId });
    } catch (err) {
      setError(messageFor(err, 'The post could not be shared. Try again.'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog
      ref={dialog}
      class="dialog"
      aria-labelledby="share-title"
      onClose={() => props.onClose()}
    >
      <h2 id="share-title">Share to another group</h2>
      <p class="hint">
        The other group sees the post as written, with its author and where it came from. Its
        comments stay here.
      </p>
      <Show
        when={others().length > 0}
        fallback={
          <p class="empty">
            You are not in any other group yet. Start or join another group to share posts there.
          </p>
        }
      >
        <ul class="list" aria-label="Your other groups">
          <For each={others()}>
            {(g) => (
              <li>
                <button
                  type="button"
                  class="row-button"
                  disabled={busy()}
                  onClick={() => void share(g.groupId, g.name)}
                >
                  {g.name}
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <p role="status">
        <Show when={done()}>
          {(d) => (
            <>
              Shared to {d().name}.{' '}
              <a
                href={href(postRoute, { groupId: d().groupId, postId: d().postId })}
                onClick={() => props.onClose()}
              >
                Open it in {d().name}
              </a>
            </>
          )}
        </Show>
      </p>
      <p class="error" role="alert">
        {error()}
      </p>
      <div class="actions">
        <button type="button" onClick={() => props.onClose()}>
          Close
        </button>
      </div>
    </dialog>
  );
}
