import { createEffect, createMemo, Show, untrack } from 'solid-js';
import { Dynamic } from 'solid-js/web';
import type { Hearth } from '../core/hearth/Hearth.ts';
import { DurabilityWatch } from './features/devices/DurabilityWatch.tsx';
import { hash, href } from './router.ts';
import { ACTIONS, routes } from './routes.tsx';
import { homeRoute } from './screens/routes.ts';
import { Welcome } from './screens/Welcome.tsx';
import { updateReady } from './serviceWorker.ts';
import { GroupHandles } from './state/GroupHandle.ts';
import { HandlesContext, HearthContext, useHearthVersion } from './state/hearthContext.ts';
import { useAppBadge } from './state/unread.ts';

/** The screen of the current route, from the one route table (routes.tsx). */
function Routes() {
  useAppBadge();
  const current = createMemo(() => routes.match(hash()));
  // A screen stays mounted while its key stays the same (the tabs of one group); any other
  // navigation mounts the new screen afresh.
  const key = createMemo(() => {
    const c = current();
    if (!c) return '';
    return `${c.entry.keep?.(c.params) ?? `${c.entry.def.name}:${JSON.stringify(c.params)}`}`;
  });
  return (
    <Show
      when={key()}
      keyed
      fallback={
        <main>
          <p>That page does not exist.</p>
          <a href={href(homeRoute)}>Back to your groups</a>
        </main>
      }
    >
      {(_) => {
        const entry = untrack(current)?.entry;
        if (!entry) return null;
        return (
          <Dynamic
            component={entry.screen}
            params={current()?.params ?? {}}
            route={current()?.entry.def ?? entry.def}
          />
        );
      }}
    </Show>
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
    const c = routes.match(hash());
    const payload = c?.entry.def.name === 'join' ? c.params.payload : undefined;
    // Invite parsing loads only when the address holds an invitation.
    if (payload !== undefined) {
      void import('./screens/joinOffer.ts')
        .then((m) => m.takeInviteFromUrl(payload))
        .catch((e: unknown) => console.error(e));
    }
  });
  return (
    <>
      <Show when={identity()} fallback={<Welcome />}>
        <Routes />
      </Show>
      <DurabilityWatch />
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
  const handles = new GroupHandles(props.hearth, ACTIONS);
  return (
    <HearthContext.Provider value={props.hearth}>
      <HandlesContext.Provider value={handles}>
        <Shell hearth={props.hearth} />
      </HandlesContext.Provider>
    </HearthContext.Provider>
  );
}
