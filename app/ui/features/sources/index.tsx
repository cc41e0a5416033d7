// The library in the UI: the Sources tab, one source, adding one, and the citation cards
// other features' screens show (LazyCitations, from Citations.tsx).
import { lazy } from 'solid-js';
import type { Sources } from '../../../core/features/sources/Sources.ts';
import { actionList } from '../../state/GroupHandle.ts';
import { screenRoute, type UiFeature } from '../Feature.ts';
import { newSourceRoute, sourceRoute, sourcesRoute } from './routes.ts';

// The library's screens load on demand: no first screen shows them.
const SourceScreen = lazy(() =>
  import('./SourceScreen.tsx').then((m) => ({ default: m.SourceScreen })),
);
const NewSource = lazy(() => import('./NewSource.tsx').then((m) => ({ default: m.NewSource })));
const SourcesList = lazy(() =>
  import('./SourcesList.tsx').then((m) => ({ default: m.SourcesList })),
);

export const sources: UiFeature<'sources'> = {
  actions: actionList<Sources>()(
    'addSource',
    'editSource',
    'annotate',
    'editAnnotation',
    'cite',
    'remove',
  ),
  routes: [
    screenRoute(sourceRoute, (p) => (
      <SourceScreen groupId={p.params.groupId} sourceId={p.params.sourceId} />
    )),
    screenRoute(newSourceRoute, (p) => <NewSource groupId={p.params.groupId} />),
  ],
  tab: { label: 'Sources', route: sourcesRoute, content: SourcesList },
};
