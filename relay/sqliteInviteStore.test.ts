import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';
import { inviteStoreContract } from './inviteStoreContract.ts';
import { SqliteInviteStore } from './sqliteInviteStore.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

inviteStoreContract('SQLite', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'hearth-invites-'));
  dirs.push(dir);
  return new SqliteInviteStore(dir);
});
