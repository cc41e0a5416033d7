// What lazy.ts loads: the classes that pull, push and check mailbox updates.
export { MailboxSync } from './MailboxSync.ts';
export { SyncSession } from './SyncSession.ts';
