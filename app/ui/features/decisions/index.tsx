// Decisions in the UI: the Decide tab (open proposals and polls, then the decision log), one
// proposal or poll, starting one, and verifying an exported decision record offline.
import { lazy } from 'solid-js';
import type { Decisions } from '../../../core/features/decisions/Decisions.ts';
import { actionList } from '../../state/GroupHandle.ts';
import { screenRoute, type UiFeature } from '../Feature.ts';
import {
  decideRoute,
  decisionRoute,
  newMatterFromRoute,
  newMatterRoute,
  verifyRecordRoute,
} from './routes.ts';

const DecideTab = lazy(() => import('./DecideTab.tsx').then((m) => ({ default: m.DecideTab })));
const MatterScreen = lazy(() =>
  import('./MatterScreen.tsx').then((m) => ({ default: m.MatterScreen })),
);
const NewMatter = lazy(() => import('./NewMatter.tsx').then((m) => ({ default: m.NewMatter })));
const VerifyScreen = lazy(() =>
  import('./VerifyScreen.tsx').then((m) => ({ default: m.VerifyScreen })),
);

export const decisions: UiFeature<'decisions'> = {
  actions: actionList<Decisions>()(
    'propose',
    'createPoll',
    'respond',
    'vote',
    'reply',
    'close',
    'closeDue',
  ),
  routes: [
    screenRoute(decisionRoute, (p) => (
      <MatterScreen groupId={p.params.groupId} itemId={p.params.itemId} />
    )),
    screenRoute(newMatterRoute, (p) => (
      <NewMatter groupId={p.params.groupId} what={p.params.what} />
    )),
    screenRoute(newMatterFromRoute, (p) => (
      <NewMatter groupId={p.params.groupId} what={p.params.what} from={p.params.from} />
    )),
    screenRoute(verifyRecordRoute, () => <VerifyScreen />),
  ],
  tab: { label: 'Decide', route: decideRoute, unread: 'decide', content: DecideTab },
};
