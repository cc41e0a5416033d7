// One encrypted file that holds everything this device keeps for its member: the identity,
// every group's entry (its keys) and document, the read markers and the sync state, sealed
// under a passphrase. PBKDF2-SHA256 with 600,000 iterations through WebCrypto turns the
// passphrase into the key (docs/SECURITY.md says why not Argon2id); the rows are sealed with
// the same secretbox format as everything Hearth sends. Importing needs no relay and no peer.
import nacl from 'tweetnacl';
import { fromBase64Url, fromUtf8, toBase64Url, utf8 } from '../crypto/bytes.ts';
import type { StoreKey } from '../crypto/keys.ts';
import { open, seal } from '../crypto/sealed.ts';
import { HearthError } from '../errors.ts';
import type { StorageAdapter, StorageKey, StorageOp } from '../storage/StorageAdapter.ts';
import { BACKUP_KEY, IDENTITY_KEY } from './storageLayout.ts';

export const BACKUP_FORMAT = 'hearth-backup/v1';
/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
export const BACKUP_ITERATIONS = 600_000;
/** A file asking for more than this would hang the import: refused. */
const MAX_ITERATIONS = 10_000_000;
export const PASSPHRASE_MIN_CHARS = 10;
const SALT_BYTES = 16;

export type BackupErrorCode =
  | 'short-passphrase'
  | 'not-a-backup'
  | 'wrong-passphrase'
  | 'has-identity'
  | 'no-webcrypto';

const MESSAGES: Record<BackupErrorCode, string> = {
  'short-passphrase': `Choose a passphrase of at least ${PASSPHRASE_MIN_CHARS} characters: the backup is only as safe as it.`,
  'not-a-backup': 'This file is not a Hearth backup (or it is damaged). Nothing was changed.',
  'wrong-passphrase':
    'That passphrase does not open this backup. Check it and try again; nothing was changed.',
  'has-identity':
    'This device already has a member. Import a backup on a fresh browser (or a new browser profile) instead.',
  'no-webcrypto':
    'This browser cannot make or open a backup here (it needs a secure https page). Open Hearth over https and try again.',
};

export class BackupError extends HearthError<BackupErrorCode> {
  override readonly name = 'BackupError';
  constructor(code: BackupErrorCode, detail?: string) {
    super(code, MESSAGES[code], { detail });
  }
}

interface BackupFile {
  readonly format: typeof BACKUP_FORMAT;
  readonly kdf: 'PBKDF2-SHA256';
  readonly iterations: number;
  readonly salt: string;
  readonly createdAt: number;
  readonly sealed: string;
}

/** The part of WebCrypto used here (the core compiles without the DOM lib). */
interface Pbkdf2Subtle {
  importKey(
    format: 'raw',
    key: Uint8Array,
    algorithm: 'PBKDF2',
    extractable: false,
    usages: readonly 'deriveBits'[],
  ): Promise<unknown>;
  deriveBits(
    algorithm: { name: 'PBKDF2'; hash: 'SHA-256'; salt: Uint8Array; iterations: number },
    key: unknown,
    length: number,
  ): Promise<ArrayBuffer>;
}

async function passphraseKey(
  passphrase: string,
  salt: Uint8Array,
  iterations: number,
): Promise<StoreKey> {
  const subtle = (globalThis as { crypto?: { subtle?: Pbkdf2Subtle } }).crypto?.subtle;
  if (!subtle) throw new BackupError('no-webcrypto');
  const base = await subtle.importKey('raw', utf8(passphrase.normalize('NFC')), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = await subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    base,
    256,
  );
  return new Uint8Array(bits) as StoreKey;
}

/**
 * Everything this device keeps, as one sealed file (UTF-8 JSON). Records when it was made, for
 * the reminder (backupReminder).
 */
export async function exportBackup(
  storage: StorageAdapter,
  passphrase: string,
  now: number = Date.now(),
): Promise<Uint8Array> {
  if ([...passphrase].length < PASSPHRASE_MIN_CHARS) throw new BackupError('short-passphrase');
  const rows = await storage.loadRange([]);
  const plain = utf8(
    JSON.stringify({
      v: 1,
      rows: rows.filter((r) => r.key[0] !== BACKUP_KEY[0]).map((r) => [r.key, toBase64Url(r.data)]),
    }),
  );
  const salt = nacl.randomBytes(SALT_BYTES);
  const key = await passphraseKey(passphrase, salt, BACKUP_ITERATIONS);
  const file: BackupFile = {
    format: BACKUP_FORMAT,
    kdf: 'PBKDF2-SHA256',
    iterations: BACKUP_ITERATIONS,
    salt: toBase64Url(salt),
    createdAt: now,
    sealed: toBase64Url(seal(key, plain)),
  };
  // Only a marker for the reminder: a device out of space still gets its backup file.
  await storage.save(BACKUP_KEY, utf8(JSON.stringify({ lastAt: now }))).catch(() => undefined);
  return utf8(JSON.stringify(file));
}

function readFile(bytes: Uint8Array): BackupFile {
  try {
    const f = JSON.parse(fromUtf8(bytes)) as Partial<BackupFile>;
    if (
      f.format === BACKUP_FORMAT &&
      f.kdf === 'PBKDF2-SHA256' &&
      typeof f.iterations === 'number' &&
      Number.isSafeInteger(f.iterations) &&
      f.iterations >= BACKUP_ITERATIONS &&
      f.iterations <= MAX_ITERATIONS &&
      typeof f.salt === 'string' &&
      typeof f.sealed === 'string'
    ) {
      return f as BackupFile;
    }
  } catch {
    // below
  }
  throw new BackupError('not-a-backup');
}

function readRows(plain: Uint8Array): StorageOp[] {
  let o: { v?: unknown; rows?: unknown };
  try {
    o = JSON.parse(fromUtf8(plain)) as typeof o;
  } catch {
    throw new BackupError('not-a-backup', 'inner JSON');
  }
  if (o.v !== 1 || !Array.isArray(o.rows)) throw new BackupError('not-a-backup', 'inner shape');
  return o.rows.map((row: unknown): StorageOp => {
    const [key, data] = Array.isArray(row) ? row : [];
    if (
      !Array.isArray(key) ||
      key.length === 0 ||
      !key.every((s) => typeof s === 'string') ||
      typeof data !== 'string'
    ) {
      throw new BackupError('not-a-backup', 'a row');
    }
    return { op: 'save', key: key as StorageKey, data: fromBase64Url(data) };
  });
}

/**
 * Brings a backup back on a device that has no member yet, all in one batch (nothing is
 * written unless everything is). The caller reloads the app afterwards.
 */
export async function importBackup(
  storage: StorageAdapter,
  bytes: Uint8Array,
  passphrase: string,
): Promise<void> {
  const file = readFile(bytes);
  if (await storage.load(IDENTITY_KEY)) throw new BackupError('has-identity');
  let salt: Uint8Array;
  let sealed: Uint8Array;
  try {
    salt = fromBase64Url(file.salt);
    sealed = fromBase64Url(file.sealed);
  } catch {
    throw new BackupError('not-a-backup', 'base64url');
  }
  const key = await passphraseKey(passphrase, salt, file.iterations);
  let plain: Uint8Array;
  try {
    plain = open(key, sealed);
  } catch {
    throw new BackupError('wrong-passphrase');
  }
  const ops = readRows(plain);
  if (!ops.some((op) => op.op === 'save' && op.key.join('/') === IDENTITY_KEY.join('/'))) {
    throw new BackupError('not-a-backup', 'no identity');
  }
  // The import counts as a backup just made: the file exists.
  ops.push({ op: 'save', key: BACKUP_KEY, data: utf8(JSON.stringify({ lastAt: file.createdAt })) });
  await storage.batch(ops);
}

/** When this device last made (or was restored from) a backup, or undefined. */
export async function lastBackupAt(storage: StorageAdapter): Promise<number | undefined> {
  const raw = await storage.load(BACKUP_KEY);
  if (!raw) return undefined;
  try {
    const at = (JSON.parse(fromUtf8(raw)) as { lastAt?: unknown }).lastAt;
    return typeof at === 'number' ? at : undefined;
  } catch {
    return undefined;
  }
}

/** A backup older than this, with no other linked device, earns a gentle reminder. */
export const BACKUP_REMIND_AFTER_MS = 14 * 86_400_000;

/**
 * Whether to remind the member to export a backup: they are in at least one group, have no
 * other linked device, and made no backup in the last two weeks (or ever).
 */
export function needsBackupReminder(args: {
  groups: number;
  linkedDevices: number;
  lastBackupAt: number | undefined;
  now: number;
}): boolean {
  if (args.groups === 0 || args.linkedDevices > 0) return false;
  return args.lastBackupAt === undefined || args.now - args.lastBackupAt > BACKUP_REMIND_AFTER_MS;
}
