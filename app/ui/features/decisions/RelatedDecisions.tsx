// Under a thread or post: the proposals and polls made from or citing it, with their live
// state, and the way to propose from it (the proposal links back here).
import { createMemo, For } from 'solid-js';
import { href } from '../../router.ts';
import type { GroupHandle } from '../../state/GroupHandle.ts';
import { stateText } from './labels.ts';
import { decisionRoute, newMatterFromRoute } from './routes.ts';

export function RelatedDecisions(props: { handle: GroupHandle; itemId: string }) {
  const related = createMemo(() => {
    props.handle.version();
    return props.handle.decisions.about(props.itemId);
  });
  return (
    <section class="related-decisions" aria-label="Decisions">
      <ul class="list">
        <For each={related()}>
          {(m) => (
            <li>
              <a
                class="row-link"
                href={href(decisionRoute, { groupId: props.handle.id, itemId: m.id })}
              >
                <span class="grow">
                  <span class="title">
                    {m.kind === 'proposal' ? 'Proposal' : 'Poll'}: {m.title}
                  </span>
                  <span class="hint" data-testid="related-state">
                    {stateText(m)} · {m.ballots.length} answered
                    {m.tally
                      ? ` · ${m.tally.counts.agree} agree, ${m.tally.counts.block} block`
                      : ''}
                  </span>
                </span>
              </a>
            </li>
          )}
        </For>
      </ul>
      <div class="actions">
        <a
          class="button quiet"
          href={href(newMatterFromRoute, {
            groupId: props.handle.id,
            what: 'proposal',
            from: props.itemId,
          })}
        >
          Propose
        </a>
        <a
          class="button quiet"
          href={href(newMatterFromRoute, {
            groupId: props.handle.id,
            what: 'poll',
            from: props.itemId,
          })}
        >
          Start a poll
        </a>
      </div>
    </section>
  );
}
