// Discussion's places: one thread, and starting one. Its tab is the group's own route (the
// first thing a group shows), declared by the kernel.
import { defineRoute } from '../../router.ts';

export const newThreadRoute = defineRoute('new-thread', '/g/:groupId/t/new');
/** The installed app's "New thread" shortcut: asks for the group first. */
export const pickGroupRoute = defineRoute('new-thread-pick', '/t/new');
/** ActivityItem places name this route ('thread', with groupId and threadId). */
export const threadRoute = defineRoute('thread', '/g/:groupId/t/:threadId');
