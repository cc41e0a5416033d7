// HEARTH_DATABASE_URL: the mailbox, the invite capsules and the signaling between processes
// all on one PostgreSQL, so several relay processes can serve one address. Opened before the
// relay is created (each part connects and creates its tables if needed).
import type { InviteStore } from './inviteStore.ts';
import type { Logger } from './logger.ts';
import type { MailboxStore } from './mailboxStore.ts';
import { PgInviteStore } from './pgInviteStore.ts';
import { PgMailboxStore } from './pgMailboxStore.ts';
import { PgSignalBus, type SignalBus } from './signalBus.ts';

export interface PostgresParts {
  store: MailboxStore;
  inviteStore: InviteStore;
  signalBus: SignalBus;
}

/** The password of a connection URL replaced, for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z]+:\/\/[^:/@]*:)[^@]*@/i, '$1***@');
}

export async function openPostgres(url: string, logger: Logger): Promise<PostgresParts> {
  const opened: { close(): Promise<void> }[] = [];
  try {
    const store = await PgMailboxStore.open(url);
    opened.push(store);
    const inviteStore = await PgInviteStore.open(url);
    opened.push(inviteStore);
    const signalBus = await PgSignalBus.open(url, logger);
    return { store, inviteStore, signalBus };
  } catch (e) {
    for (const part of opened) await part.close().catch(() => {});
    throw e;
  }
}
