// The library's places: the Sources tab, one source, and adding one.
import { defineRoute } from '../../router.ts';

export const sourcesRoute = defineRoute('sources', '/g/:groupId/sources');
export const newSourceRoute = defineRoute('new-source', '/g/:groupId/s/new');
/** Search results and feed items name this route ('source', with groupId and sourceId). */
export const sourceRoute = defineRoute('source', '/g/:groupId/s/:sourceId');
