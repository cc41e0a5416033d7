// Home: the member's groups with what is unread in each, a plain chronological feed of
// recent activity across all of them (no ranking), and the two ways in: start or join. Each
// feed line shows the same check as the item's card.
import { createMemo, createSignal, For, lazy, Show } from 'solid-js';
import { agoText, dateTimeFormat } from '../components/dates.ts';
import { UnreadBadge } from '../components/TabBar.tsx';
import { TopBar } from '../components/TopBar.tsx';
import { TrustMark } from '../components/TrustMark.tsx';
import { href } from '../router.ts';
import { placeHref } from '../routes.tsx';
import { SearchLink } from '../search/SearchLink.tsx';
import { type ActivityLine, activityLine } from '../state/activity.ts';
import { messageFor } from '../state/errors.ts';
import type { GroupHandle, Trust } from '../state/GroupHandle.ts';
import { useHandles, useHearth, useHearthVersion, useNow } from '../state/hearthContext.ts';
import { usePaintedIdle } from '../state/painted.ts';
import { useAllGroups } from '../state/unread.ts';
import { GROUPS_HEADING, HOME_TITLE, NO_GROUPS } from './firstScreenText.ts';
import { groupRoute, newGroupRoute, scanRoute, settingsRoute } from './routes.ts';

// The backup reminder (and the backup code it checks with) loads after Home is on screen.
const BackupReminder = lazy(() =>
  import('../features/devices/BackupReminder.tsx').then((m) => ({ default: m.BackupReminder })),
);

const ACTIVITY_LIMIT = 30;

export function Home() {
  const paintedIdle = usePaintedIdle();
  const hearth = useHearth();
  const handles = useHandles();
  const version = useHearthVersion();
  const all = useAllGroups();
  const groups = () => {
    version();
    return hearth.groups();
  };
  const opened = createMemo(() => {
    all.version();
    const byId = new Map<string, GroupHandle>();
    for (const h of all.handles()) byId.set(h.id, h);
    return byId;
  });
  const unreadOf = (groupId: string): number => {
    all.version();
    return opened().get(groupId)?.unread().total ?? 0;
  };
  const now = useNow();
  const activity = createMemo(() => {
    all.version();
    return handles.activity(all.handles(), ACTIVITY_LIMIT).map((e) => activityLine(e, placeHref));
  });
  const waiting = createMemo(() => {
    all.version();
    return handles.awaiting(all.handles());
  });
  const trustOf = (a: ActivityLine): Trust => {
    all.version();
    return opened().get(a.groupId)?.trust(a.id, a.status) ?? 'checking';
  };
  const [link, setLink] = createSignal('');
  const [error, setError] = createSignal('');
  const joinByLink = async (e: Event) => {
    e.preventDefault();
    try {
      // Invite parsing loads when a link is pasted, not with the first screen.
      const { offerInviteText } = await import('./joinOffer.ts');
      offerInviteText(link());
      setLink('');
      setError('');
    } catch (err) {
      setError(messageFor(err, 'This does not look like a Hearth invite link.'));
    }
  };
  return (
    <>
      <TopBar title={HOME_TITLE}>
        <SearchLink />
        <a class="button icon-button quiet" href={href(settingsRoute)} aria-label="Settings">
          ⚙
        </a>
      </TopBar>
      <main>
        <h2>{GROUPS_HEADING}</h2>
        <Show when={groups().length > 0} fallback={<p class="empty">{NO_GROUPS}</p>}>
          <ul class="list" aria-label={GROUPS_HEADING}>
            <For each={groups()}>
              {(g) => (
                <li>
                  <a class="row-link" href={href(groupRoute, { groupId: g.groupId })}>
                    <span class="grow">
                      <span class="title">{g.name}</span>
                    </span>
                    <Show when={unreadOf(g.groupId) > 0}>
                      <UnreadBadge count={unreadOf(g.groupId)} />
                    </Show>
                  </a>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <Show when={paintedIdle()}>
          <BackupReminder />
        </Show>
        <div class="actions">
          <a class="button primary" href={href(newGroupRoute)}>
            New group
          </a>
        </div>
        <Show when={waiting().length > 0}>
          <section aria-labelledby="waiting-title">
            <h2 id="waiting-title">Waiting for your response</h2>
            <ul class="list" aria-labelledby="waiting-title">
              <For each={waiting()}>
                {(w) => (
                  <li>
                    <a class="row-link" href={placeHref(w.item.place)}>
                      <span class="grow">
                        <span class="title">{w.item.title}</span>
                        <span class="hint">
                          {w.item.what === 'poll' ? 'Poll' : 'Proposal'} · {w.groupName}
                          <Show when={w.item.deadline}>
                            {(d) => <> · closes {dateTimeFormat.format(d())}</>}
                          </Show>
                        </span>
                      </span>
                    </a>
                  </li>
                )}
              </For>
            </ul>
          </section>
        </Show>
        <Show when={groups().length > 0}>
          <section aria-labelledby="activity-title">
            <h2 id="activity-title">Recent activity</h2>
            <Show
              when={activity().length > 0}
              fallback={
                <p class="empty">
                  Nothing has happened in your groups yet. When someone starts a thread, writes a
                  post, replies or comments, it shows here, newest first.
                </p>
              }
            >
              <ol class="list activity" aria-label="Recent activity">
                <For each={activity()}>
                  {(a) => {
                    const trust = () => trustOf(a);
                    return (
                      <li classList={{ checking: trust() !== 'valid' }} data-trust={trust()}>
                        <Show when={a.href} fallback={<span>{a.text}</span>}>
                          {(to) => <a href={to()}>{a.text}</a>}
                        </Show>
                        <span class="hint">
                          {a.groupName} · <Ago at={a.at} now={now()} />{' '}
                          <TrustMark trust={trust()} />
                        </span>
                      </li>
                    );
                  }}
                </For>
              </ol>
            </Show>
          </section>
        </Show>
        <section class="card">
          <h2>Join with an invite</h2>
          <p class="hint">
            Scan the invite's QR code with your phone's camera, or here; or paste the link you were
            sent.
          </p>
          <div class="actions">
            <a class="button" href={href(scanRoute)}>
              Scan a QR code
            </a>
          </div>
          <form onSubmit={joinByLink}>
            <div class="field">
              <label for="invite-link-input">Invite link</label>
              <input
                id="invite-link-input"
                inputMode="url"
                autocomplete="off"
                value={link()}
                onInput={(e) => setLink(e.currentTarget.value)}
                placeholder="Paste the link you were sent"
              />
            </div>
            <p class="error" role="alert">
              {error()}
            </p>
            <button type="submit" disabled={!link().trim()}>
              Join
            </button>
          </form>
        </section>
      </main>
    </>
  );
}

/** "5 min ago", "yesterday"-style relative time for the feed, with the exact time in datetime. */
function Ago(props: { at: number; now: number }) {
  return (
    <time datetime={new Date(props.at).toISOString()} title={dateTimeFormat.format(props.at)}>
      {agoText(props.at, props.now)}
    </time>
  );
}
