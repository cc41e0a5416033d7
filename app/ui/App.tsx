import { createEffect, Match, Show, Switch } from 'solid-js';
import type { Hearth } from '../core/hearth/Hearth.ts';
import { route } from './router.ts';
import { GroupScreen } from './screens/GroupScreen.tsx';
import { Home } from './screens/Home.tsx';
import { InviteScreen } from './screens/InviteScreen.tsx';
import { JoinScreen, takeInviteFromUrl } from './screens/Join.tsx';
import { NewGroup } from './screens/NewGroup.tsx';
import { NewPost } from './screens/NewPost.tsx';
import { NewThread } from './screens/NewThread.tsx';
import { PostScreen } from './screens/PostScreen.tsx';
import { ScanInvite } from './screens/ScanInvite.tsx';
import { ThreadScreen } from './screens/ThreadScreen.tsx';
import { Welcome } from './screens/Welcome.tsx';
import { updateReady } from './serviceWorker.ts';
import { HearthContext, useHearthVersion } from './state/hearthContext.ts';
import { useAppBadge } from './state/unread.ts';

function Routes() {
  useAppBadge();
  return (
    <Switch
      fallback={
        <main>
          <p>That page does not exist.</p>
          <a href="#/">Back to your groups</a>
        </main>
      }
    >
      <Match when={route().name === 'home'}>
        <Home />
      </Match>
      <Match when={route().name === 'new-group'}>
        <NewGroup />
      </Match>
      <Match when={route().name === 'scan'}>
        <ScanInvite />
      </Match>
      <Match when={route().name === 'joining'}>
        <JoinScreen />
      </Match>
      <Match
        when={(() => {
          const r = route();
          return r.name === 'group' ? r : null;
        })()}
      >
        {(r) => <GroupScreen groupId={r().groupId} tab={r().tab} />}
      </Match>
      <Match
        when={(() => {
          const r = route();
          return r.name === 'new-thread' ? r : null;
        })()}
      >
        {(r) => <NewThread groupId={r().groupId} />}
      </Match>
      <Match
        when={(() => {
          const r = route();
          return r.name === 'thread' ? r : null;
        })()}
      >
        {(r) => <ThreadScreen groupId={r().groupId} threadId={r().threadId} />}
      </Match>
      <Match
        when={(() => {
          const r = route();
          return r.name === 'new-post' ? r : null;
        })()}
      >
        {(r) => <NewPost groupId={r().groupId} />}
      </Match>
      <Match
        when={(() => {
          const r = route();
          return r.name === 'post' ? r : null;
        })()}
      >
        {(r) => <PostScreen groupId={r().groupId} postId={r().postId} />}
      </Match>
      <Match
        when={(() => {
          const r = route();
          return r.name === 'invite' ? r : null;
        })()}
      >
        {(r) => <InviteScreen groupId={r().groupId} />}
      </Match>
    </Switch>
  );
}

function Shell(props: { hearth: Hearth }) {
  const version = useHearthVersion();
  const identity = () => {
    version();
    return props.hearth.identity;
  };
  // An invite in the address bar is read once and removed from it and from history.
  createEffect(() => {
    const r = route();
    if (r.name === 'join') takeInviteFromUrl(r.payload);
  });
  return (
    <>
      <Show when={identity()} fallback={<Welcome />}>
        <Routes />
      </Show>
      <Show when={updateReady()}>
        {(apply) => (
          <div class="toast" role="status">
            A new version of Hearth is ready.{' '}
            <button type="button" onClick={() => void apply()()}>
              Reload
            </button>
          </div>
        )}
      </Show>
    </>
  );
}

export function App(props: { hearth: Hearth }) {
  return (
    <HearthContext.Provider value={props.hearth}>
      <Shell hearth={props.hearth} />
    </HearthContext.Provider>
  );
}
