// The Decide tab: open proposals and polls first (what waits for this member is marked),
// then the group's decision log, newest close first, and the way to check a record.
import { createEffect, createMemo, For, Show } from 'solid-js';
import { dateFormat, dateTimeFormat } from '../../components/dates.ts';
import { ItemRow } from '../../components/ItemRow.tsx';
import { href } from '../../router.ts';
import type { TabProps } from '../Feature.ts';
import { OUTCOME_LABEL, stateText } from './labels.ts';
import { decisionRoute, newMatterRoute, verifyRecordRoute } from './routes.ts';

export function DecideTab(props: TabProps) {
  const h = () => props.handle;
  const open = createMemo(() => {
    h().version();
    return h()
      .decisions.matters()
      .filter((m) => m.state !== 'closed');
  });
  const log = createMemo(() => {
    h().version();
    return h().decisions.decisionLog();
  });
  // The proposer's device closes what passed its deadline (see ARCHITECTURE "Decisions").
  createEffect(() => {
    const me = h().me();
    if (me && open().some((m) => m.state === 'due' && m.author === me)) {
      void h()
        .decisions.closeDue()
        .catch(() => undefined);
    }
  });
  const groupId = () => h().id;
  return (
    <>
      <div class="actions">
        <a
          class="button primary"
          href={href(newMatterRoute, { groupId: groupId(), what: 'proposal' })}
        >
          New proposal
        </a>
        <a class="button" href={href(newMatterRoute, { groupId: groupId(), what: 'poll' })}>
          New poll
        </a>
      </div>
      <h2>Open</h2>
      <Show
        when={open().length > 0}
        fallback={
          <p class="empty">
            Nothing to decide right now. Put a proposal to the group when a discussion is ready for
            a decision, or ask a quick question with a poll.
          </p>
        }
      >
        <ul class="list" aria-label="Open proposals and polls">
          <For each={open()}>
            {(m) => {
              const unread = () => props.unread().byParent.get(m.id) ?? 0;
              const trust = () => h().trust(m.id, m.status);
              return (
                <ItemRow
                  href={href(decisionRoute, { groupId: groupId(), itemId: m.id })}
                  trust={trust()}
                  title={m.title}
                  hint={
                    <>
                      {m.kind === 'proposal' ? 'Proposal' : 'Poll'} ·{' '}
                      {m.authorName ?? 'Unknown member'} · {stateText(m)}
                      <Show when={m.deadline}>
                        {(d) => <> · closes {dateTimeFormat.format(d())}</>}
                      </Show>{' '}
                      · {m.ballots.length} answered
                    </>
                  }
                  unread={unread()}
                />
              );
            }}
          </For>
        </ul>
      </Show>
      <h2 id="decision-log-title">Decision log</h2>
      <Show
        when={log().length > 0}
        fallback={
          <p class="empty">No decisions yet. Closed proposals and polls are listed here.</p>
        }
      >
        <ol class="list" aria-labelledby="decision-log-title">
          <For each={log()}>
            {(d) => (
              <li>
                <a
                  class="row-link"
                  href={href(decisionRoute, { groupId: groupId(), itemId: d.id })}
                >
                  <span class="grow">
                    <span class="title">{d.title}</span>
                    <span class="hint">
                      {d.kind === 'proposal' ? 'Proposal' : 'Poll'} ·{' '}
                      <strong>{OUTCOME_LABEL[d.outcome]}</strong> ·{' '}
                      <time datetime={new Date(d.closedAt).toISOString()}>
                        {dateFormat.format(d.closedAt)}
                      </time>
                    </span>
                  </span>
                </a>
              </li>
            )}
          </For>
        </ol>
      </Show>
      <div class="actions">
        <a class="button quiet" href={href(verifyRecordRoute)}>
          Verify a decision record
        </a>
      </div>
    </>
  );
}
