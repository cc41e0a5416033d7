// The kernel's routes: the member's groups, starting and joining a group, and one group's
// own places (its home, members and invite). Features declare theirs in their own folders;
// app/ui/routes.ts puts them all in one table.
import { defineRoute } from '../router.ts';

export const homeRoute = defineRoute('home', '/');
export const newGroupRoute = defineRoute('new-group', '/new');
export const scanRoute = defineRoute('scan', '/scan');
export const settingsRoute = defineRoute('settings', '/settings');
/** An invite link: read once, then removed from the address bar (see Join.tsx). */
export const joinRoute = defineRoute('join', '/join/*payload');
export const joiningRoute = defineRoute('joining', '/joining');
/** A group: shows its first tab. */
export const groupRoute = defineRoute('group', '/g/:groupId');
export const membersRoute = defineRoute('members', '/g/:groupId/members');
export const inviteRoute = defineRoute('invite', '/g/:groupId/invite');
/** A device link (features/devices): opened on the Welcome screen of a fresh device. */
export const linkRoute = defineRoute('link', '/link/*payload');
