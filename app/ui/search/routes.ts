// Search's places: across every group (from Home) and within one group. The screen itself is
// loaded on demand (see app/ui/routes.tsx), so these names are all the first screen carries.
import { defineRoute } from '../router.ts';

export const searchRoute = defineRoute('search', '/search');
export const groupSearchRoute = defineRoute('group-search', '/g/:groupId/search');
