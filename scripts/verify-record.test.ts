// The verify-record command end to end: a real process under tsx, on files written to disk.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { recordJson, recordMarkdown } from '../app/core/features/decisions/record.ts';
import { clone, closedProposal } from '../app/core/features/decisions/recordFixture.ts';

describe('npm run verify-record', () => {
  it('npm run verify-record accepts the export and rejects a tampered one', async () => {
    const { file } = await closedProposal();
    const dir = mkdtempSync(join(tmpdir(), 'hearth-record-'));
    const good = join(dir, 'good.md');
    const bad = join(dir, 'bad.json');
    writeFileSync(good, recordMarkdown(file));
    const tampered = clone(file);
    (tampered.close as { statement: string }).statement = 'Passed unanimously.';
    writeFileSync(bad, recordJson(tampered));
    const run = promisify(execFile);
    const tsx = join(process.cwd(), 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const ok = await run(process.execPath, [tsx, 'scripts/verify-record.ts', good]);
    expect(ok.stdout).toContain('VERIFIED');
    const fail = await run(process.execPath, [tsx, 'scripts/verify-record.ts', bad]).then(
      () => null,
      (e: { code: number; stdout: string }) => e,
    );
    expect(fail?.code).toBe(1);
    expect(fail?.stdout).toMatch(/REJECTED {2}close: altered or forged/);
    expect(fail?.stdout).toContain('NOT VERIFIED');
  }, 60_000);
});
