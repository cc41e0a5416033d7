// Half-written posts must survive a reload, a crash or going offline, so they are kept in
// the device's storage; they are sealed with the group's store key so that IndexedDB never
// holds a member's unpublished words in plaintext. Each GroupRuntime creates its group's
// Drafts, so screens use drafts without ever holding the key.
import { fromUtf8, utf8 } from '../crypto/bytes.ts';
import type { StoreKey } from '../crypto/keys.ts';
import { open, seal } from '../crypto/sealed.ts';
import { HearthError } from '../errors.ts';
import type { StorageAdapter, StorageKey } from '../storage/StorageAdapter.ts';

/** What a draft holds: a title (posts only) and the markdown body. */
export interface Draft {
  readonly title: string;
  readonly body: string;
  /** ms since the epoch of the last save. */
  readonly savedAt: number;
}

/** Which draft: a new post in a group, or the edit of one existing post. */
export type DraftSlot = { readonly kind: 'post' } | { readonly kind: 'edit'; readonly id: string };

export type DraftErrorCode = 'unreadable';

const MESSAGES: Record<DraftErrorCode, string> = {
  unreadable:
    'Your saved draft could not be opened on this device. It is kept until you write a new one.',
};

export class DraftError extends HearthError<DraftErrorCode> {
  override readonly name = 'DraftError';
  /** `detail` is for developers; the message, fixed per code, is for people. */
  constructor(code: DraftErrorCode, detail?: string, options: { cause?: unknown } = {}) {
    super(code, MESSAGES[code], { detail, cause: options.cause });
  }
}

interface DraftJSON {
  v: 1;
  title: string;
  body: string;
  savedAt: number;
}

export function draftKey(groupId: string, slot: DraftSlot): StorageKey {
  return slot.kind === 'post' ? ['drafts', groupId, 'post'] : ['drafts', groupId, 'edit', slot.id];
}

/** Sealed drafts of one group, in any StorageAdapter. */
export class Drafts {
  constructor(
    private readonly storage: StorageAdapter,
    private readonly groupId: string,
    private readonly key: StoreKey,
  ) {}

  /** The saved draft, or null when there is none. A damaged one is reported, not deleted. */
  async load(slot: DraftSlot): Promise<Draft | null> {
    const sealed = await this.storage.load(draftKey(this.groupId, slot));
    if (!sealed) return null;
    let json: Partial<DraftJSON>;
    try {
      json = JSON.parse(fromUtf8(open(this.key, sealed))) as Partial<DraftJSON>;
    } catch (e) {
      throw new DraftError('unreadable', 'the sealed draft did not open as JSON', { cause: e });
    }
    if (
      json?.v !== 1 ||
      typeof json.title !== 'string' ||
      typeof json.body !== 'string' ||
      typeof json.savedAt !== 'number'
    ) {
      throw new DraftError('unreadable', 'the draft JSON has missing or mistyped fields');
    }
    return { title: json.title, body: json.body, savedAt: json.savedAt };
  }

  /** Saves the draft; an empty one is removed instead, so nothing lingers. */
  async save(slot: DraftSlot, draft: Draft): Promise<void> {
    if (!draft.title.trim() && !draft.body.trim()) return this.clear(slot);
    const json: DraftJSON = { v: 1, title: draft.title, body: draft.body, savedAt: draft.savedAt };
    await this.storage.save(
      draftKey(this.groupId, slot),
      seal(this.key, utf8(JSON.stringify(json))),
    );
  }

  clear(slot: DraftSlot): Promise<void> {
    return this.storage.remove(draftKey(this.groupId, slot));
  }
}
