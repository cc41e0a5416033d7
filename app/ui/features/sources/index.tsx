// The library in the UI: the Sources tab, one source, adding one, and the citation cards
// other features' screens show (Citations.tsx).
import type { Sources } from '../../../core/features/sources/Sources.ts';
import { actionList } from '../../state/GroupHandle.ts';
import { screenRoute, type UiFeature } from '../Feature.ts';
import { NewSource } from './NewSource.tsx';
import { newSourceRoute, sourceRoute, sourcesRoute } from './routes.ts';
import { SourceScreen } from './SourceScreen.tsx';
import { SourcesList } from './SourcesList.tsx';

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
