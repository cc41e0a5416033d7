// Home: the member's groups with what is unread in each, a plain chronological feed of
// recent activity across all of them (no ranking), and the two ways in: start or join.
import { createMemo, createSignal, For, Show } from 'solid-js';
import type { Group } from '../../core/group/Group.ts';
import { recentActivity } from '../../core/group/ReadState.ts';
import { InviteError, parseInvite } from '../../core/invite/invite.ts';
import { UnreadBadge } from '../components/TabBar.tsx';
import { TopBar } from '../components/TopBar.tsx';
import { href } from '../router.ts';
import { activityLine } from '../state/activity.ts';
import { useHearth, useHearthVersion, useNow } from '../state/hearthContext.ts';
import { unreadByTab, useAllGroups } from '../state/unread.ts';
import { offerInvite } from './Join.tsx';

const ACTIVITY_LIMIT = 30;
const dayTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

export function Home() {
  const hearth = useHearth();
  const version = useHearthVersion();
  const all = useAllGroups();
  const groups = () => {
    version();
    return hearth.groups();
  };
  const opened = createMemo(() => {
    all.version();
    const byId = new Map<string, Group>();
    for (const rt of all.runtimes()) byId.set(rt.group.id, rt.group);
    return byId;
  });
  const unreadOf = (groupId: string): number => {
    all.version();
    const group = opened().get(groupId);
    return group ? unreadByTab(group, hearth.personal, hearth.identity?.id).total : 0;
  };
  const now = useNow();
  const activity = createMemo(() => {
    all.version();
    const byId = opened();
    return recentActivity([...byId.values()], ACTIVITY_LIMIT).map((e) => ({
      id: `${e.groupId}/${e.item.id}`,
      ...activityLine(e, byId.get(e.groupId)),
    }));
  });
  const [link, setLink] = createSignal('');
  const [error, setError] = createSignal('');
  const joinByLink = (e: Event) => {
    e.preventDefault();
    try {
      offerInvite(parseInvite(link()));
      setLink('');
      setError('');
    } catch (err) {
      setError(
        err instanceof InviteError ? err.message : 'This does not look like a Hearth invite link.',
      );
    }
  };
  return (
    <>
      <TopBar title="Hearth" />
      <main>
        <h2>Your groups</h2>
        <Show
          when={groups().length > 0}
          fallback={
            <p class="empty">
              You are not in a group yet. Start one for your people, or open an invite link someone
              sent you.
            </p>
          }
        >
          <ul class="list">
            <For each={groups()}>
              {(g) => (
                <li>
                  <a class="row-link" href={href.group(g.groupId)}>
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
        <div class="actions">
          <a class="button primary" href={href.newGroup()}>
            New group
          </a>
        </div>
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
                  {(a) => (
                    <li>
                      <a href={a.href}>{a.text}</a>
                      <span class="hint">
                        {a.groupName} · <Ago at={a.at} now={now()} />
                      </span>
                    </li>
                  )}
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
            <a class="button" href={href.scan()}>
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
  const text = () => {
    const s = Math.max(0, Math.round((props.now - props.at) / 1000));
    if (s < 60) return 'just now';
    const m = Math.round(s / 60);
    if (m < 60) return `${m} min ago`;
    const h = Math.round(m / 60);
    if (h < 24) return `${h} h ago`;
    return dayTime.format(props.at);
  };
  return (
    <time datetime={new Date(props.at).toISOString()} title={dayTime.format(props.at)}>
      {text()}
    </time>
  );
}
