// Discussion in the UI: the Discuss tab (the group's first), a thread, and starting one.
import { lazy } from 'solid-js';
import type { Discussion } from '../../../core/features/discussion/Discussion.ts';
import { groupRoute } from '../../screens/routes.ts';
import { actionList } from '../../state/GroupHandle.ts';
import { screenRoute, type UiFeature } from '../Feature.ts';
import { newThreadRoute, pickGroupRoute, threadRoute } from './routes.ts';
import { ThreadScreen } from './ThreadScreen.tsx';
import { ThreadsList } from './ThreadsList.tsx';

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
  tab: { label: 'Discuss', route: groupRoute, unread: 'threads', content: ThreadsList },
};
