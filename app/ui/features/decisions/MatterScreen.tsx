// One proposal or poll: what is proposed, where it came from, this member's answer (changeable
// until the close), the live tally with names and reasons (blocks first and marked), who has
// not answered, the proposer's close, the export of the signed record, and the discussion.
import { createEffect, createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import type { MatterView } from '../../../core/features/decisions/Decisions.ts';
import { type Outcome, STANCES, type Stance } from '../../../core/features/decisions/records.ts';
import type { IrvResult } from '../../../core/features/decisions/tally.ts';
import { Composer } from '../../components/Composer.tsx';
import { dateTimeFormat } from '../../components/dates.ts';
import { download } from '../../components/download.ts';
import { Markdown } from '../../components/Markdown.tsx';
import { SyncBadge } from '../../components/SyncBadge.tsx';
import { TopBar } from '../../components/TopBar.tsx';
import { TrustMark } from '../../components/TrustMark.tsx';
import { href } from '../../router.ts';
import { messageFor } from '../../state/errors.ts';
import type { GroupHandle } from '../../state/GroupHandle.ts';
import { useGroup } from '../../state/hearthContext.ts';
import { HIDDEN_NOTE, METHOD_LABEL, OUTCOME_LABEL, STANCE_LABEL, stateText } from './labels.ts';
import { decideRoute } from './routes.ts';
import { sourceLink } from './sources.ts';

export function MatterScreen(props: { groupId: string; itemId: string }) {
  const handle = useGroup(() => props.groupId);
  const matter = createMemo(() => {
    const h = handle();
    if (!h) return undefined;
    h.version();
    return h.decisions.matter(props.itemId);
  });
  // Everything the view rests on is checked once it is on screen.
  createEffect(() => {
    const h = handle();
    if (h && matter()) void h.decisions.check(props.itemId).catch(() => undefined);
  });
  createEffect(() => {
    const h = handle();
    const m = matter();
    if (h && m && m.state === 'due' && m.author === h.me())
      void h.decisions.closeDue().catch(() => undefined);
  });
  createEffect(() => {
    const h = handle();
    const m = matter();
    if (h && m) void h.markRead(m.id, m.lastActivity);
  });
  return (
    <>
      <TopBar
        title={handle()?.name() ?? 'Group'}
        back={href(decideRoute, { groupId: props.groupId })}
        backLabel="Decide"
      />
      <main>
        <p>
          <SyncBadge status={handle()?.syncStatus()} />
        </p>
        <Show
          when={handle() && matter()}
          fallback={
            <p class="empty">
              {handle.loading
                ? 'Opening…'
                : 'This has not arrived on this device yet. It will appear once a member who has it is online or the relay delivers it.'}
            </p>
          }
        >
          {(_) => <MatterBody h={handle()!} m={matter()!} />}
        </Show>
      </main>
    </>
  );
}

function MatterBody(props: { h: GroupHandle; m: MatterView }) {
  const h = () => props.h;
  const m = () => props.m;
  const name = (id: string) => h().member(id)?.label ?? 'Unknown member';
  const me = () => h().me();
  const trust = () => h().trust(m().id, m().status);
  const mine = () => m().ballots.find((b) => b.member === me());
  const isMember = () =>
    !!me() &&
    h()
      .members()
      .some((x) => x.id === me());
  const from = () => (m().from ? sourceLink(h(), m().from!) : undefined);
  const cites = () => m().cites.flatMap((id) => sourceLink(h(), id) ?? []);
  return (
    <>
      <h2 class="post-title">{m().title}</h2>
      <p class="hint">
        {m().kind === 'proposal' ? 'Proposal' : `Poll · ${METHOD_LABEL[m().method!]}`} by{' '}
        {m().authorName ?? 'Unknown member'} ·{' '}
        <strong data-testid="matter-state">{stateText(m())}</strong>
        <Show when={m().deadline}>{(d) => <> · closes {dateTimeFormat.format(d())}</>}</Show>
        <Show when={m().quorum}>{(q) => <> · quorum {q()}</>}</Show> <TrustMark trust={trust()} />
      </p>
      <Show when={m().hiddenUntilClose}>
        <p class="hint">Hidden until close. {HIDDEN_NOTE}</p>
      </Show>
      <Show when={from()}>
        {(s) => (
          <p>
            From <a href={s().href}>{s().title}</a>
          </p>
        )}
      </Show>
      <Show when={cites().length > 0}>
        <p>
          Cites:{' '}
          <For each={cites()}>
            {(s, i) => (
              <>
                {i() > 0 ? ', ' : ''}
                <a href={s.href}>{s.title}</a>
              </>
            )}
          </For>
        </p>
      </Show>
      <Show when={m().body}>
        <div class="card">
          <Markdown source={m().body} mentions={h().mentionTargets(m())} me={me() ?? ''} />
        </div>
      </Show>
      <Show when={m().close}>
        {(c) => (
          <section class="card outcome" aria-labelledby="outcome-title" data-outcome={c().outcome}>
            <h3 id="outcome-title">Outcome: {OUTCOME_LABEL[c().outcome]}</h3>
            <Show when={c().statement}>
              <p data-testid="outcome-statement">{c().statement}</p>
            </Show>
            <p class="hint">
              Closed {dateTimeFormat.format(c().at)} by {m().authorName ?? 'Unknown member'}
              <Show when={c().missing > 0}>
                {' '}
                · {c().missing} counted answers have not reached this device yet
              </Show>
            </p>
          </section>
        )}
      </Show>
      <Show when={m().state === 'open' && isMember()}>
        <Show when={m().kind === 'proposal'} fallback={<VoteForm h={h()} m={m()} />}>
          <PositionForm
            h={h()}
            m={m()}
            current={mine()?.stance}
            reason={mine()?.reason}
            sealed={!!mine()?.hidden}
          />
        </Show>
      </Show>
      <Tally h={h()} m={m()} name={name} />
      <Show when={m().waiting.length > 0}>
        <section aria-labelledby="waiting-title">
          <h3 id="waiting-title">Not yet responded</h3>
          <p data-testid="not-yet">{m().waiting.map(name).join(', ')}</p>
        </section>
      </Show>
      <Show when={m().author === me() && m().state !== 'closed'}>
        <CloseForm h={h()} m={m()} />
      </Show>
      <ExportRecord h={h()} m={m()} />
      <Discussion h={h()} m={m()} />
    </>
  );
}

function PositionForm(props: {
  h: GroupHandle;
  m: MatterView;
  current?: Stance | undefined;
  reason?: string | undefined;
  sealed: boolean;
}) {
  const [stance, setStance] = createSignal<Stance | undefined>(props.current);
  const [reason, setReason] = createSignal(props.reason ?? '');
  const [error, setError] = createSignal('');
  const [saved, setSaved] = createSignal('');
  const save = (e: Event) => {
    e.preventDefault();
    const s = stance();
    if (!s) return setError('Choose a position first.');
    try {
      props.h.decisions.respond(props.m.id, s, reason());
      setError('');
      setSaved(
        props.m.hiddenUntilClose ? 'Your position is sealed and saved.' : 'Your position is saved.',
      );
    } catch (err) {
      setError(messageFor(err));
    }
  };
  return (
    <form class="card" onSubmit={save} aria-labelledby="position-title">
      <h3 id="position-title">Your position</h3>
      <Show when={props.sealed}>
        <p class="hint">
          You have answered; your answer is sealed until the close. You can change it.
        </p>
      </Show>
      <fieldset>
        <legend class="visually-hidden">Position</legend>
        <For each={STANCES}>
          {(s) => (
            <label class="check">
              <input
                type="radio"
                name="stance"
                value={s}
                checked={stance() === s}
                onChange={() => setStance(s)}
              />{' '}
              {STANCE_LABEL[s]}
            </label>
          )}
        </For>
      </fieldset>
      <div class="field">
        <label for="position-reason">
          Reason (short, optional{stance() === 'block' ? ', but say why you block' : ''})
        </label>
        <input
          id="position-reason"
          maxLength={280}
          value={reason()}
          onInput={(e) => setReason(e.currentTarget.value)}
        />
      </div>
      <p class="error" role="alert">
        {error()}
      </p>
      <p role="status" class="hint">
        {saved()}
      </p>
      <button type="submit" class="primary">
        Save position
      </button>
    </form>
  );
}

function VoteForm(props: { h: GroupHandle; m: MatterView }) {
  const n = () => props.m.options.length;
  const [picked, setPicked] = createSignal<ReadonlySet<number>>(new Set());
  const [ranks, setRanks] = createSignal<Record<number, number>>({});
  const [scores, setScores] = createSignal<number[]>(props.m.options.map(() => 0));
  const [error, setError] = createSignal('');
  const [saved, setSaved] = createSignal('');
  const choice = (): number[] => {
    switch (props.m.method) {
      case 'single':
      case 'multiple':
        return [...picked()].sort((a, b) => a - b);
      case 'ranked':
        return Object.entries(ranks())
          .filter(([, r]) => r > 0)
          .sort((a, b) => a[1] - b[1])
          .map(([i]) => Number(i));
      default:
        return scores();
    }
  };
  const save = (e: Event) => {
    e.preventDefault();
    try {
      props.h.decisions.vote(props.m.id, choice());
      setError('');
      setSaved(props.m.hiddenUntilClose ? 'Your vote is sealed and saved.' : 'Your vote is saved.');
    } catch (err) {
      setError(messageFor(err));
    }
  };
  const toggle = (i: number, on: boolean) => {
    const next = props.m.method === 'single' ? new Set<number>() : new Set(picked());
    if (on) next.add(i);
    else next.delete(i);
    setPicked(next);
  };
  return (
    <form class="card" onSubmit={save} aria-labelledby="vote-title">
      <h3 id="vote-title">Your vote</h3>
      <Show when={props.m.ballots.some((b) => b.member === props.h.me())}>
        <p class="hint">You have voted; voting again replaces your vote until the close.</p>
      </Show>
      <Switch>
        <Match when={props.m.method === 'single' || props.m.method === 'multiple'}>
          <fieldset>
            <legend class="visually-hidden">Options</legend>
            <For each={props.m.options}>
              {(o, i) => (
                <label class="check">
                  <input
                    type={props.m.method === 'single' ? 'radio' : 'checkbox'}
                    name="vote-option"
                    checked={picked().has(i())}
                    onChange={(e) => toggle(i(), e.currentTarget.checked)}
                  />{' '}
                  {o}
                </label>
              )}
            </For>
          </fieldset>
        </Match>
        <Match when={props.m.method === 'ranked'}>
          <p class="hint">
            Give 1 to your first choice, 2 to your next, and so on; leave out what you would never
            pick.
          </p>
          <For each={props.m.options}>
            {(o, i) => (
              <div class="field">
                <label for={`rank-${i()}`}>Rank for {o}</label>
                <select
                  id={`rank-${i()}`}
                  value={String(ranks()[i()] ?? 0)}
                  onChange={(e) => setRanks({ ...ranks(), [i()]: Number(e.currentTarget.value) })}
                >
                  <option value="0">Not ranked</option>
                  <For each={Array.from({ length: n() }, (_, k) => k + 1)}>
                    {(k) => <option value={String(k)}>{k}</option>}
                  </For>
                </select>
              </div>
            )}
          </For>
        </Match>
        <Match when={props.m.method === 'score'}>
          <For each={props.m.options}>
            {(o, i) => (
              <div class="field">
                <label for={`score-${i()}`}>Score for {o} (0 to 5)</label>
                <select
                  id={`score-${i()}`}
                  value={String(scores()[i()] ?? 0)}
                  onChange={(e) =>
                    setScores(
                      scores().map((s, k) => (k === i() ? Number(e.currentTarget.value) : s)),
                    )
                  }
                >
                  <For each={[0, 1, 2, 3, 4, 5]}>
                    {(k) => <option value={String(k)}>{k}</option>}
                  </For>
                </select>
              </div>
            )}
          </For>
        </Match>
      </Switch>
      <p class="error" role="alert">
        {error()}
      </p>
      <p role="status" class="hint">
        {saved()}
      </p>
      <button type="submit" class="primary">
        Vote
      </button>
    </form>
  );
}

function Tally(props: { h: GroupHandle; m: MatterView; name: (id: string) => string }) {
  const m = () => props.m;
  const sealedAll = () => m().hiddenUntilClose && !m().tally && !m().result;
  const answer = (b: MatterView['ballots'][number]): string => {
    if (b.hidden) return 'sealed';
    if (b.spoiled) return 'spoiled (not counted)';
    if (b.stance) return STANCE_LABEL[b.stance];
    if (m().method === 'score')
      return (b.choice ?? []).map((s, i) => `${m().options[i]} ${s}`).join(', ');
    return (b.choice ?? []).map((i) => m().options[i]).join(m().method === 'ranked' ? ' > ' : ', ');
  };
  const blocks = () => m().ballots.filter((b) => b.stance === 'block');
  return (
    <section aria-labelledby="tally-title">
      <h3 id="tally-title">{m().state === 'closed' ? 'Result' : 'So far'}</h3>
      <Show when={sealedAll()}>
        <p data-testid="sealed-note">
          {m().ballots.length} answered. What they chose stays sealed until the close.
        </p>
      </Show>
      <Show when={m().badKey}>
        <p class="error">The key published at the close does not open the sealed answers.</p>
      </Show>
      <Show when={m().tally}>
        {(t) => (
          <>
            <p data-testid="tally">
              {STANCES.map((s) => `${STANCE_LABEL[s]} ${t().counts[s]}`).join(' · ')}
              <Show when={t().quorum !== undefined}>
                {' '}
                · quorum {t().quorumMet ? 'met' : `not met (${t().responded} of ${t().quorum})`}
              </Show>
            </p>
            <Show when={blocks().length > 0}>
              <div class="block-alert" role="note">
                <For each={blocks()}>
                  {(b) => (
                    <p>
                      <strong>Blocked by {props.name(b.member)}</strong>
                      {b.reason ? `: ${b.reason}` : ' (no reason given)'}
                    </p>
                  )}
                </For>
              </div>
            </Show>
          </>
        )}
      </Show>
      <Show when={m().result?.method === 'ranked'}>
        <Rounds result={m().result as IrvResult} options={m().options} />
      </Show>
      <Show when={m().result && m().result!.method !== 'ranked'}>
        <ul class="list tally-list" aria-label="Totals">
          <For each={m().options}>
            {(o, i) => {
              const r = m().result!;
              const n = () =>
                r.method === 'score' ? r.totals[i()] : r.method !== 'ranked' ? r.counts[i()] : 0;
              return (
                <li>
                  {o}: {n()} {r.method === 'score' ? 'points' : n() === 1 ? 'vote' : 'votes'}
                  {r.winners.includes(i()) ? ' (most)' : ''}
                </li>
              );
            }}
          </For>
        </ul>
      </Show>
      <Show when={m().ballots.length > 0}>
        <ul class="list ballots" aria-label={m().kind === 'proposal' ? 'Positions' : 'Votes'}>
          <For each={m().ballots}>
            {(b) => (
              <li classList={{ 'ballot-block': b.stance === 'block' }} data-stance={b.stance ?? ''}>
                <strong>{props.name(b.member)}</strong>: {answer(b)}
                <Show when={b.reason}>
                  <span class="hint"> — {b.reason}</span>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}

function Rounds(props: { result: IrvResult; options: readonly string[] }) {
  const winner = () => props.result.winners.map((i) => props.options[i]).join(' and ');
  return (
    <>
      <Show when={props.result.winners.length > 0}>
        <p>
          {props.result.winners.length > 1 ? 'Tied: ' : 'Leading: '}
          <strong data-testid="irv-winner">{winner()}</strong>
        </p>
      </Show>
      <ol class="list rounds" aria-label="Rounds">
        <For each={props.result.rounds}>
          {(r, k) => (
            <li class="card">
              <strong>Round {k() + 1}</strong>
              <ul>
                <For each={props.options}>
                  {(o, i) => (
                    <Show when={r.counts[i()] !== null}>
                      <li>
                        {o}: {r.counts[i()]}
                      </li>
                    </Show>
                  )}
                </For>
              </ul>
              <Show when={r.exhausted > 0}>
                <p class="hint">Exhausted ballots: {r.exhausted}</p>
              </Show>
              <Show when={r.eliminated !== undefined}>
                <p class="hint">Eliminated: {props.options[r.eliminated!]}</p>
              </Show>
            </li>
          )}
        </For>
      </ol>
    </>
  );
}

function CloseForm(props: { h: GroupHandle; m: MatterView }) {
  const outcomes = (): Outcome[] =>
    props.m.kind === 'proposal' ? ['passed', 'rejected', 'withdrawn'] : ['closed', 'withdrawn'];
  const [outcome, setOutcome] = createSignal<Outcome>(
    props.m.kind === 'proposal' ? (props.m.tally?.suggested ?? 'passed') : 'closed',
  );
  const [statement, setStatement] = createSignal('');
  const [error, setError] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const close = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    try {
      await props.h.decisions.close(props.m.id, outcome(), statement());
      setError('');
    } catch (err) {
      setError(messageFor(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="card" onSubmit={close} aria-labelledby="close-title">
      <h3 id="close-title">Close</h3>
      <p class="hint">
        Closing records the outcome and exactly which answers count, signed by you.
      </p>
      <div class="field">
        <label for="close-outcome">Outcome</label>
        <select
          id="close-outcome"
          value={outcome()}
          onChange={(e) => setOutcome(e.currentTarget.value as Outcome)}
        >
          <For each={outcomes()}>{(o) => <option value={o}>{OUTCOME_LABEL[o]}</option>}</For>
        </select>
      </div>
      <div class="field">
        <label for="close-statement">Outcome statement</label>
        <textarea
          id="close-statement"
          rows={3}
          value={statement()}
          onInput={(e) => setStatement(e.currentTarget.value)}
        />
      </div>
      <p class="error" role="alert">
        {error()}
      </p>
      <button type="submit" disabled={busy()}>
        Close and record the outcome
      </button>
    </form>
  );
}

function ExportRecord(props: { h: GroupHandle; m: MatterView }) {
  const [error, setError] = createSignal('');
  const save = async (as: 'json' | 'markdown') => {
    try {
      const r = await props.h.decisions.record(props.m.id);
      if (as === 'json') download(`${r.name}.json`, r.json, 'application/json');
      else download(`${r.name}.md`, r.markdown, 'text/markdown');
      setError('');
    } catch (err) {
      setError(messageFor(err, 'The record could not be exported. Try again.'));
    }
  };
  return (
    <section aria-labelledby="export-title">
      <h3 id="export-title">Decision record</h3>
      <p class="hint">
        Every position, vote and outcome, with its signature, to keep or share; anyone can check it
        offline.
      </p>
      <div class="actions">
        <button type="button" onClick={() => void save('json')}>
          Export decision record (JSON)
        </button>
        <button type="button" onClick={() => void save('markdown')}>
          Export decision record (Markdown)
        </button>
      </div>
      <p class="error" role="alert">
        {error()}
      </p>
    </section>
  );
}

function Discussion(props: { h: GroupHandle; m: MatterView }) {
  const replies = createMemo(() => {
    props.h.version();
    return props.h.decisions.replies(props.m.id).filter((r) => !r.deleted);
  });
  return (
    <section aria-labelledby="discussion-title">
      <h3 id="discussion-title">Discussion</h3>
      <Show
        when={replies().length > 0}
        fallback={<p class="hint">No replies yet. Ask a question or add a thought.</p>}
      >
        <ol class="list" aria-label="Replies">
          <For each={replies()}>
            {(r) => (
              <li class="card">
                <p class="hint">
                  <strong>{r.authorName ?? 'Unknown member'}</strong> ·{' '}
                  {dateTimeFormat.format(r.createdAt)}{' '}
                  <TrustMark trust={props.h.trust(r.id, r.status)} />
                </p>
                <Markdown
                  source={r.body}
                  mentions={props.h.mentionTargets(r)}
                  me={props.h.me() ?? ''}
                />
              </li>
            )}
          </For>
        </ol>
      </Show>
      <Composer
        label="Reply"
        submitLabel="Send"
        handle={props.h}
        onSubmit={(body) => {
          props.h.decisions.reply(props.m.id, body);
        }}
      />
    </section>
  );
}
