// A group's first screens as this device last showed them (core hearth/firstScreen.ts),
// painted while the group's document opens: the thread list's first page and the opening of
// the threads at its top. Nothing here can be acted on; the real screen replaces it once the
// group is open. Each row and card shows the check this device made of it when it was kept:
// 'valid' only where it checked, neutral otherwise, never a guess.
import { For, Show } from 'solid-js';
import type { ReplyView, ThreadView } from '../../../core/features/discussion/Discussion.ts';
import type { FirstScreen, ThreadPreview } from '../../../core/hearth/firstScreen.ts';
import { dateText, dateTimeFormat } from '../../components/dates.ts';
import { Markdown } from '../../components/Markdown.tsx';
import { TrustMark } from '../../components/TrustMark.tsx';
import type { Trust } from '../../state/GroupHandle.ts';
import { ThreadRow } from './ThreadsList.tsx';

/** The trust a kept status stands for: what was not checked then is being checked now. */
export function keptTrust(status: string): Trust {
  return status === 'valid' || status === 'forged' || status === 'not-a-member'
    ? status
    : 'checking';
}

export function ThreadsPreview(props: { groupId: string; screen: FirstScreen }) {
  return (
    <>
      <h2>Discussion</h2>
      <ul class="list" aria-label="Threads">
        <For each={props.screen.threads}>
          {(t) => (
            <ThreadRow
              groupId={props.groupId}
              thread={t}
              trust={keptTrust(t.status)}
              pin={
                props.screen.pinned.includes(t.id) ? <span aria-hidden="true">📌 </span> : undefined
              }
            />
          )}
        </For>
      </ul>
    </>
  );
}

function KeptCard(props: {
  item: ThreadView | ReplyView;
  hiddenBy: string | undefined;
  word: string;
}) {
  const trust = keptTrust(props.item.status);
  const author = props.item.authorName ?? 'Unknown member';
  return (
    <article
      class="message item-card"
      classList={{
        warning: trust === 'forged' || trust === 'not-a-member',
        forged: trust === 'forged',
        checking: trust === 'checking',
      }}
      aria-label={`${props.word} by ${author}`}
      data-verify={trust}
    >
      <header>
        <span class="author">{author}</span>
        <TrustMark trust={trust} />
        <time datetime={new Date(props.item.createdAt).toISOString()}>
          {dateText(dateTimeFormat, props.item.createdAt)}
        </time>
      </header>
      <Show when={!props.item.deleted} fallback={<p class="tombstone">Deleted by its author.</p>}>
        <Show
          when={props.hiddenBy === undefined}
          fallback={<p class="hidden-note">Hidden by {props.hiddenBy}.</p>}
        >
          <Markdown source={props.item.body} />
        </Show>
      </Show>
    </article>
  );
}

export function ThreadOpening(props: { preview: ThreadPreview; hidden: FirstScreen['hidden'] }) {
  const t = () => props.preview.thread;
  return (
    <>
      <div class="thread-head">
        <h2>{t().deleted ? 'Deleted thread' : t().title}</h2>
      </div>
      <KeptCard item={t()} hiddenBy={props.hidden[t().id]} word="Message" />
      <h3 class="visually-hidden">Replies</h3>
      <ol class="list virtual-list" aria-label="Replies">
        <For each={props.preview.replies}>
          {(r) => (
            <li>
              <KeptCard item={r} hiddenBy={props.hidden[r.id]} word="Reply" />
            </li>
          )}
        </For>
      </ol>
    </>
  );
}
