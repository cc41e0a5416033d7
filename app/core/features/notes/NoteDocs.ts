// The text of each note lives in a Y.Doc of its own, apart from the group's document: loaded
// only when the note is opened, so a group with hundreds of long notes opens as fast as one
// without, and one note's edit history never slows the discussion. Each note document has
// keys of its own, derived from the group key and the note id (deriveNoteKey): its sealed
// rows on this device (['note', group, note]), its mailbox room and its live room. What the
// relay and peers send passes the same gate as the group's (checkUpdate, in MailboxSync and
// in the WebRTC transport's admitPeerMessage).
import type { Awareness } from 'y-protocols/awareness';
import * as Y from 'yjs';
import {
  deriveEpochKeys,
  deriveNoteKey,
  deriveStoreKey,
  type EpochKeys,
  type GroupId,
  type GroupKey,
} from '../../crypto/keys.ts';
import { notePrefix } from '../../hearth/storageLayout.ts';
import { EncryptedDocStore } from '../../storage/EncryptedDocStore.ts';
import type { StorageAdapter } from '../../storage/StorageAdapter.ts';
import { loadSync } from '../../sync/lazy.ts';
import type { Mailbox } from '../../sync/Mailbox.ts';
import type { SyncSession, SyncStatus } from '../../sync/SyncSession.ts';
import { Listeners, type Transport } from '../../sync/Transport.ts';

/** The name of the shared text in each note's Y.Doc. */
export const NOTE_TEXT = 'text';
/** Note documents kept open (syncing) at once; the least recently opened closes first. */
export const OPEN_NOTES_KEPT = 8;

export interface NoteDocsOptions {
  readonly groupId: GroupId;
  readonly storage: StorageAdapter;
  readonly mailbox: Mailbox;
  readonly relays: readonly string[];
  /**
   * The key this device joined the group with: it never changes here, so the note's rows
   * stay readable on this device across key epochs.
   */
  readonly localKey: GroupKey;
  /** The key of the epoch the group syncs in now: the note's rooms follow it. */
  readonly epochKey: () => GroupKey;
  /**
   * Resolves once the screen showing the note has been painted (and the page is idle): a
   * note's sync (the relay's mailbox, the live room and its code) starts then, so it never
   * holds up the editor. Sync starts at once without it.
   */
  readonly afterPaint?: () => Promise<void>;
  readonly transportFor?: (args: {
    doc: Y.Doc;
    keys: EpochKeys;
    relays: readonly string[];
    awareness: Awareness;
  }) => Promise<Transport | undefined>;
}

/**
 * One open note: its text, who else is in it (awareness) and its sync. The text is there as
 * soon as it is read from the device; sync starts beside it (live sync waits for its code and
 * the relay's ICE servers, which must not hold up the editor).
 */
export class NoteDoc {
  readonly text: Y.Text;
  readonly #session: Promise<SyncSession>;
  #started: SyncSession | undefined;
  readonly #listeners = new Listeners<SyncStatus>();

  constructor(
    readonly noteId: string,
    readonly doc: Y.Doc,
    /** Cursors and names of who else has the note open; only live peers see it. */
    readonly awareness: Awareness,
    readonly store: EncryptedDocStore,
    session: Promise<SyncSession>,
  ) {
    this.text = doc.getText(NOTE_TEXT);
    this.#session = session.then((s) => {
      this.#started = s;
      s.onStatus((st) => this.#listeners.emit(st));
      this.#listeners.emit(s.status);
      return s;
    });
  }

  /** Undefined until sync has started. */
  get status(): SyncStatus | undefined {
    return this.#started?.status;
  }

  onStatus(cb: (s: SyncStatus) => void): () => void {
    return this.#listeners.add(cb);
  }

  /** Asks the relay for anything new and retries waiting uploads. */
  async pullNow(): Promise<void> {
    await (await this.#session).pullNow();
  }

  /** Stores every change locally and tries to upload it. */
  async flush(): Promise<void> {
    await this.store.flush();
    await (await this.#session).flush();
  }

  async close(): Promise<void> {
    await (await this.#session).destroy();
    await this.store.detach();
    this.awareness.destroy();
    this.doc.destroy();
    this.#listeners.clear();
  }
}

/** The note documents of one open group. */
export class NoteDocs {
  readonly #open = new Map<string, Promise<NoteDoc>>();
  /** The last text seen of each note opened this session (kept after it closes), for search. */
  readonly #texts = new Map<string, string>();
  #closed = false;

  constructor(private readonly o: NoteDocsOptions) {}

  /** The note's document, loaded from this device and syncing; opening twice shares it. */
  open(noteId: string): Promise<NoteDoc> {
    if (this.#closed) return Promise.reject(new Error('the group is closed'));
    let p = this.#open.get(noteId);
    if (p) {
      // Most recently used last.
      this.#open.delete(noteId);
      this.#open.set(noteId, p);
      return p;
    }
    p = this.#load(noteId);
    p.catch(() => this.#open.delete(noteId));
    this.#open.set(noteId, p);
    for (const [id, old] of this.#open) {
      if (this.#open.size <= OPEN_NOTES_KEPT) break;
      this.#open.delete(id);
      void old.then((n) => n.close()).catch(() => undefined);
    }
    return p;
  }

  async #load(noteId: string): Promise<NoteDoc> {
    const { storage, relays } = this.o;
    const keys = deriveEpochKeys(deriveNoteKey(this.o.epochKey(), noteId));
    const storeKey = deriveStoreKey(deriveNoteKey(this.o.localKey, noteId));
    const doc = new Y.Doc();
    const store = new EncryptedDocStore(storage, this.o.groupId, storeKey, {
      prefix: notePrefix(this.o.groupId, noteId),
    });
    // The sync stack and awareness are loaded with the first note opened (a group's first
    // screen never needs them), while the note is read.
    const [{ MailboxSync, SyncSession }, { Awareness }] = await Promise.all([
      loadSync(),
      import('y-protocols/awareness'),
      store.attach(doc),
    ]);
    const mailboxSync = new MailboxSync({
      doc,
      keys,
      mailbox: this.o.mailbox,
      storage,
      ignoreOrigins: [store],
      beforeCursorCommit: () => store.flush(),
    });
    const awareness = new Awareness(doc);
    const session = (async () => {
      await this.o.afterPaint?.();
      let transport: Transport | undefined;
      try {
        transport = await this.o.transportFor?.({ doc, keys, relays, awareness });
      } catch {
        transport = undefined; // no live sync (offline before its code loaded): the mailbox runs
      }
      const s = new SyncSession({ mailboxSync, ...(transport ? { transport } : {}) });
      s.start();
      return s;
    })();
    const note = new NoteDoc(noteId, doc, awareness, store, session);
    const keep = () => this.#texts.set(noteId, note.text.toString());
    keep();
    note.text.observe(keep);
    return note;
  }

  /** The text of a note opened this session, if any. */
  textOf(noteId: string): string | undefined {
    return this.#texts.get(noteId);
  }

  /** Pulls every open note (on focus, coming online). */
  async pullAll(): Promise<void> {
    const open = await Promise.allSettled(this.#open.values());
    await Promise.all(open.flatMap((r) => (r.status === 'fulfilled' ? [r.value.pullNow()] : [])));
  }

  async flushAll(): Promise<void> {
    const open = await Promise.allSettled(this.#open.values());
    await Promise.all(
      open.flatMap((r) =>
        r.status === 'fulfilled' ? [r.value.flush().catch(() => undefined)] : [],
      ),
    );
  }

  async close(): Promise<void> {
    this.#closed = true;
    const open = await Promise.allSettled(this.#open.values());
    this.#open.clear();
    await Promise.all(
      open.flatMap((r) =>
        r.status === 'fulfilled' ? [r.value.close().catch(() => undefined)] : [],
      ),
    );
  }
}
