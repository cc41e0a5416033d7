// The sources an item cites, as small cards under it, and "Cite a source" to add one. Any
// feature's screen can show it for any of its items (threads and posts do; notes and
// proposals can): the citation is its own signed record (Sources.cite).
import { createMemo, createSignal, createUniqueId, For, Show } from 'solid-js';
import { href } from '../../router.ts';
import { messageFor } from '../../state/errors.ts';
import type { GroupHandle } from '../../state/GroupHandle.ts';
import { newSourceRoute } from './routes.ts';
import { SourceCard } from './SourceCard.tsx';

export function Citations(props: { handle: GroupHandle; itemId: string }) {
  const uid = createUniqueId();
  const [picking, setPicking] = createSignal(false);
  const [choice, setChoice] = createSignal('');
  const [error, setError] = createSignal('');
  const cited = createMemo(() => {
    props.handle.version();
    return props.handle.sources.citationsFrom(props.itemId).flatMap((c) => {
      const s = props.handle.sources.source(c.sourceId);
      return s ? [{ c, s }] : [];
    });
  });
  const choices = createMemo(() => {
    props.handle.version();
    const taken = new Set(cited().map((x) => x.s.id));
    return props.handle.sources.sources().filter((s) => !taken.has(s.id));
  });
  const run = (f: () => void) => {
    setError('');
    try {
      f();
    } catch (err) {
      setError(messageFor(err));
    }
  };
  const cite = (e: Event) => {
    e.preventDefault();
    run(() => {
      const id = choice() || choices()[0]?.id;
      if (!id) return;
      props.handle.sources.cite(props.itemId, id);
      setPicking(false);
      setChoice('');
    });
  };
  return (
    <section class="citations" aria-label="Cited sources">
      <Show when={cited().length > 0}>
        <ul class="list" aria-label="Sources cited here">
          <For each={cited()}>
            {({ c, s }) => (
              <li>
                <SourceCard groupId={props.handle.id} source={s}>
                  <span class="hint">
                    Cited by {c.authorName ?? 'Unknown member'}
                    <Show when={c.author === props.handle.me()}>
                      {' '}
                      <button
                        type="button"
                        class="quiet"
                        onClick={() => run(() => props.handle.sources.remove(c.id))}
                      >
                        Remove citation
                      </button>
                    </Show>
                  </span>
                </SourceCard>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show
        when={picking()}
        fallback={
          <button type="button" class="quiet" onClick={() => setPicking(true)}>
            Cite a source
          </button>
        }
      >
        <Show
          when={choices().length > 0}
          fallback={
            <p class="hint">
              The library has no other source to cite.{' '}
              <a href={href(newSourceRoute, { groupId: props.handle.id })}>Add a source</a>
            </p>
          }
        >
          <form class="cite-form" onSubmit={cite}>
            <label for={`cite-${uid}`}>Source to cite</label>
            <select
              id={`cite-${uid}`}
              value={choice() || choices()[0]?.id}
              onChange={(e) => setChoice(e.currentTarget.value)}
            >
              <For each={choices()}>{(s) => <option value={s.id}>{s.title}</option>}</For>
            </select>
            <button type="submit" class="primary">
              Cite
            </button>
            <button type="button" class="quiet" onClick={() => setPicking(false)}>
              Cancel
            </button>
          </form>
        </Show>
      </Show>
      <p class="error" role="alert">
        {error()}
      </p>
    </section>
  );
}
