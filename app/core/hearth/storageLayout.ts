// Where Hearth keeps things on the device. The app reads some of them before the rest of its
// code has loaded (app/boot.ts), so the keys are here, apart from the code that uses them;
// storageLayout.test.ts checks that they are where that code really writes.
import type { StorageKey } from '../storage/StorageAdapter.ts';

/** The member's identity (Hearth). */
export const IDENTITY_KEY = ['identity'] as const;
/** One row per group this device is in (Hearth's registry). */
export const GROUPS_PREFIX = ['groups'] as const;
/** The signature checks remembered across sessions (VerifiedCache). */
export const VERIFIED_KEY = ['verified'] as const;
/** When this device last made or imported a backup (hearth/backup.ts). */
export const BACKUP_KEY = ['backup'] as const;
/** The app lock's record, the one entry left in the clear while the lock is on (AppLock). */
export const LOCK_KEY = ['lock'] as const;
/** Where the app lock keeps every other entry, wrapped (WrappedStorage). */
export const LOCKED_ROOT = 'locked';
/** A group's document: sealed rows and snapshots (EncryptedDocStore). */
export const docPrefix = (groupId: string): StorageKey => ['doc', groupId];
/** A group's first screens as this device last showed them, sealed (hearth/firstScreen.ts). */
export const firstScreenKey = (groupId: string): StorageKey => ['first-screen', groupId];
/** A group's notes, each its own document's sealed rows (features/notes, NoteDocs). */
export const notesPrefix = (groupId: string): StorageKey => ['note', groupId];
/** One note's document: its sealed rows and snapshots (EncryptedDocStore). */
export const notePrefix = (groupId: string, noteId: string): StorageKey => [
  ...notesPrefix(groupId),
  noteId,
];

/**
 * What opening the app reads first: whether it is locked, the identity and the group list, for
 * a group on screen its kept first screen and the remembered checks (its document:
 * startupDocReads), and for a note on screen its own rows; the read markers' key depends
 * on the identity, so they are read once it is known.
 */
export function startupReads(groupId?: string, noteId?: string): StorageKey[] {
  return [
    LOCK_KEY,
    IDENTITY_KEY,
    GROUPS_PREFIX,
    ...(groupId ? [VERIFIED_KEY, firstScreenKey(groupId)] : []),
    ...(groupId && noteId ? [notePrefix(groupId, noteId)] : []),
  ];
}

/**
 * For a group on screen, its document: its rows' keys are read at once, their values only
 * when no kept first screen will paint first (then the group opens after that paint, and a
 * 5.5 MB snapshot deserialised now would only delay it).
 */
export function startupDocReads(groupId: string): {
  readonly unless: StorageKey;
  readonly ranges: readonly StorageKey[];
} {
  return { unless: firstScreenKey(groupId), ranges: [docPrefix(groupId)] };
}
