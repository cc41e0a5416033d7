// A Hearth on in-memory storage and mailbox, with the UI's group handles, for the UI's
// state tests (no browser, no relay).
import { Hearth } from '../../core/hearth/Hearth.ts';
import { MemoryStorage } from '../../core/storage/MemoryStorage.ts';
import { MemoryMailbox } from '../../core/sync/MemoryMailbox.ts';
import { type ActionLists, GroupHandles } from './GroupHandle.ts';

/** The actions each UI feature folder lists (the app reads them from features/index.ts). */
export const TEST_ACTIONS: ActionLists = {
  discussion: ['startThread', 'reply', 'edit', 'remove'],
  posts: ['createPost', 'comment', 'edit', 'remove', 'addShared'],
  notes: ['createNote', 'ensureNote', 'rename', 'recordRevision', 'remove'],
  reactions: ['react', 'unreact'],
  pins: ['pin'],
  membership: ['setAdmin', 'hide'],
  invites: ['announce', 'markWithdrawn'],
  origin: [],
  devices: ['unlink'],
  sources: ['addSource', 'editSource', 'annotate', 'editAnnotation', 'cite', 'remove'],
  decisions: ['propose', 'createPoll', 'respond', 'vote', 'reply', 'close', 'closeDue'],
};

export async function testHearth(
  name: string,
  mailbox = new MemoryMailbox(),
): Promise<{ hearth: Hearth; handles: GroupHandles; mailbox: MemoryMailbox }> {
  let t = 1_700_000_000_000;
  const hearth = await Hearth.load({
    storage: new MemoryStorage(),
    origin: 'https://hearth.test',
    defaultRelay: 'ws://127.0.0.1:9/signal',
    mailboxFor: () => mailbox,
    now: () => (t += 10),
  });
  await hearth.setUp(name);
  return { hearth, handles: new GroupHandles(hearth, TEST_ACTIONS), mailbox };
}
