// Decisions' places: the Decide tab, one proposal or poll, starting one (optionally from a
// thread or post), and checking an exported record (no group needed).
import { defineRoute } from '../../router.ts';

export const decideRoute = defineRoute('decide', '/g/:groupId/decide');
/** ActivityItem and Awaiting places name this route ('decision', with groupId and itemId). */
export const decisionRoute = defineRoute('decision', '/g/:groupId/d/:itemId');
export const newMatterRoute = defineRoute('new-decision', '/g/:groupId/d/new/:what');
export const newMatterFromRoute = defineRoute('new-decision-from', '/g/:groupId/d/new/:what/:from');
export const verifyRecordRoute = defineRoute('verify-record', '/verify');
