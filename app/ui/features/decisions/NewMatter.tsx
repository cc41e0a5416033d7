// Putting a proposal or a poll to the group: title, details (markdown), an optional deadline
// and quorum, how a poll is answered, whether answers stay sealed until the close, and, for
// a proposal, the thread or post it comes from and those it cites.
import { createMemo, createSignal, For, Show } from 'solid-js';
import { METHODS, type PollMethod } from '../../../core/features/decisions/records.ts';
import { TopBar } from '../../components/TopBar.tsx';
import { href, navigate } from '../../router.ts';
import { messageFor } from '../../state/errors.ts';
import { useGroup } from '../../state/hearthContext.ts';
import { HIDDEN_NOTE, METHOD_LABEL } from './labels.ts';
import { decideRoute, decisionRoute } from './routes.ts';
import { citable, sourceLink } from './sources.ts';

export function NewMatter(props: { groupId: string; what: string; from?: string }) {
  const handle = useGroup(() => props.groupId);
  const poll = () => props.what === 'poll';
  const [title, setTitle] = createSignal('');
  const [body, setBody] = createSignal('');
  const [deadline, setDeadline] = createSignal('');
  const [quorum, setQuorum] = createSignal('');
  const [method, setMethod] = createSignal<PollMethod>('single');
  const [options, setOptions] = createSignal('');
  const [hidden, setHidden] = createSignal(false);
  const [cites, setCites] = createSignal<ReadonlySet<string>>(new Set());
  const [error, setError] = createSignal('');
  const source = createMemo(() => {
    const h = handle();
    if (!h || !props.from) return undefined;
    h.version();
    return sourceLink(h, props.from);
  });
  const citeList = createMemo(() => {
    const h = handle();
    if (!h || poll()) return [];
    return citable(h).filter((s) => s.id !== props.from);
  });
  const toggleCite = (id: string, on: boolean) => {
    const next = new Set(cites());
    if (on) next.add(id);
    else next.delete(id);
    setCites(next);
  };
  const submit = (e: Event) => {
    e.preventDefault();
    const h = handle();
    if (!h) return;
    try {
      const common = {
        title: title(),
        body: body(),
        ...(deadline() ? { deadline: new Date(deadline()).getTime() } : {}),
        ...(hidden() ? { hidden: true } : {}),
        ...(props.from ? { from: props.from } : {}),
      };
      const id = poll()
        ? h.decisions.createPoll({ ...common, method: method(), options: options().split('\n') })
        : h.decisions.propose({
            ...common,
            ...(quorum() ? { quorum: Number(quorum()) } : {}),
            ...(cites().size ? { cites: [...cites()] } : {}),
          });
      navigate(href(decisionRoute, { groupId: props.groupId, itemId: id }), { replace: true });
    } catch (err) {
      setError(messageFor(err));
    }
  };
  return (
    <>
      <TopBar
        title={poll() ? 'New poll' : 'New proposal'}
        back={href(decideRoute, { groupId: props.groupId })}
        backLabel="Decide"
      />
      <main>
        <form onSubmit={submit}>
          <Show when={source()}>
            {(s) => (
              <p class="hint">
                From <a href={s().href}>{s().title}</a>
              </p>
            )}
          </Show>
          <div class="field">
            <label for="matter-title">{poll() ? 'Question' : 'Title'}</label>
            <input
              id="matter-title"
              value={title()}
              maxLength={200}
              onInput={(e) => setTitle(e.currentTarget.value)}
              required
            />
          </div>
          <div class="field">
            <label for="matter-body">Details (optional, markdown)</label>
            <textarea
              id="matter-body"
              rows={5}
              value={body()}
              onInput={(e) => setBody(e.currentTarget.value)}
            />
          </div>
          <Show when={poll()}>
            <div class="field">
              <label for="matter-method">How people answer</label>
              <select
                id="matter-method"
                value={method()}
                onChange={(e) => setMethod(e.currentTarget.value as PollMethod)}
              >
                <For each={METHODS}>{(m) => <option value={m}>{METHOD_LABEL[m]}</option>}</For>
              </select>
            </div>
            <div class="field">
              <label for="matter-options">Options, one per line</label>
              <textarea
                id="matter-options"
                rows={4}
                value={options()}
                onInput={(e) => setOptions(e.currentTarget.value)}
                required
              />
            </div>
          </Show>
          <div class="field">
            <label for="matter-deadline">Closes at (optional)</label>
            <input
              id="matter-deadline"
              type="datetime-local"
              value={deadline()}
              onInput={(e) => setDeadline(e.currentTarget.value)}
            />
          </div>
          <Show when={!poll()}>
            <div class="field">
              <label for="matter-quorum">Quorum (optional): members who must respond</label>
              <input
                id="matter-quorum"
                type="number"
                inputMode="numeric"
                min={1}
                value={quorum()}
                onInput={(e) => setQuorum(e.currentTarget.value)}
              />
            </div>
          </Show>
          <div class="field">
            <label class="check">
              <input
                type="checkbox"
                checked={hidden()}
                onChange={(e) => setHidden(e.currentTarget.checked)}
              />{' '}
              Hidden until close
            </label>
            <p class="hint">{HIDDEN_NOTE}</p>
          </div>
          <Show when={citeList().length > 0}>
            <fieldset class="field">
              <legend>Cite posts and threads (optional)</legend>
              <For each={citeList()}>
                {(s) => (
                  <label class="check">
                    <input
                      type="checkbox"
                      checked={cites().has(s.id)}
                      onChange={(e) => toggleCite(s.id, e.currentTarget.checked)}
                    />{' '}
                    {s.title}
                  </label>
                )}
              </For>
            </fieldset>
          </Show>
          <p class="error" role="alert">
            {error()}
          </p>
          <button type="submit" class="primary" disabled={!handle()}>
            {poll() ? 'Start the poll' : 'Put to the group'}
          </button>
        </form>
      </main>
    </>
  );
}
