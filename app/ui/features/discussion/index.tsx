// Discussion in the UI: the Discuss tab (the group's first), a thread, and starting one.
import { lazy } from 'solid-js';
import type { Discussion } from '../../../core/features/discussion/Discussion.ts';
import { groupRoute } from '../../screens/routes.ts';
import { actionList } from '../../state/GroupHandle.ts';
import { screenRoute, type UiFeature } from '../Feature.ts';
import { ThreadsPreview } from './Preview.tsx';
import { newThreadRoute, pickGroupRoute, threadRoute } from './routes.ts';
import { ThreadsList } from './ThreadsList.tsx';

// A thread's screen (with the card and composer every item screen shares) loads on demand;
// boot.ts starts fetching it at once when the address names a thread.
const ThreadScreen = lazy(() =>
  import('./ThreadScreen.tsx').then((m) => ({ default: m.ThreadScreen })),
);
const NewThread = lazy(() => import('./NewThread.tsx').then((m) => ({ default: m.NewThread })));
const PickGroup = lazy(() => import('./PickGroup.tsx').then((m) => ({ default: m.PickGroup })));

export const discussion: UiFeature<'discussion'> = {
  actions: actionList<Discussion>()('startThread', 'reply', 'edit', 'remove'),
  routes: [
    screenRoute(threadRoute, (p) => (
      <ThreadScreen groupId={p.params.groupId} threadId={p.params.threadId} />
    )),
    screenRoute(newThreadRoute, (p) => <NewThread groupId={p.params.groupId} />),
    screenRoute(pickGroupRoute, () => <PickGroup />),
  ],
  tab: {
    label: 'Discuss',
    route: groupRoute,
    unread: 'threads',
    content: ThreadsList,
    preview: ThreadsPreview,
  },
};
