import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { hashBuild, STAMP_MARK, STAMP_PLACEHOLDER, stampBuild } from './buildHash.ts';

let dir: string;
const about = () => path.join(dir, 'assets', 'Settings-1a2b.js');

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'hearth-build-hash-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Hearth</title>');
  writeFileSync(path.join(dir, 'sw.js'), 'self.skip=0');
  writeFileSync(path.join(dir, 'icon.png'), Buffer.from([137, 80, 78, 71, 0, 255]));
  writeFileSync(about(), `const s="${STAMP_PLACEHOLDER}";`);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

it('writes the hash of the files as built into the one file with the placeholder', async () => {
  const before = await hashBuild(dir);
  const hash = await stampBuild(dir);
  expect(hash).toMatch(/^[0-9a-f]{64}$/);
  expect(hash).toBe(before.hash);
  expect(readFileSync(about(), 'utf8')).toBe(`const s="${STAMP_MARK}${hash}";`);
  // The stamped build hashes to the number it carries, again and again.
  const after = await hashBuild(dir);
  expect(after.hash).toBe(hash);
  expect(after.stamps).toEqual([{ path: 'assets/Settings-1a2b.js', hash }]);
  expect(after.files.map((f) => f.path).sort()).toEqual([
    'assets/Settings-1a2b.js',
    'icon.png',
    'index.html',
    'sw.js',
  ]);
});

it('changes with any byte of any file, and leaves precompressed copies out', async () => {
  const hash = await stampBuild(dir);
  writeFileSync(path.join(dir, 'index.html.br'), 'whatever');
  writeFileSync(path.join(dir, 'assets', 'Settings-1a2b.js.gz'), 'whatever');
  expect((await hashBuild(dir)).hash).toBe(hash);
  writeFileSync(path.join(dir, 'sw.js'), 'self.skip=1');
  const changed = await hashBuild(dir);
  expect(changed.hash).not.toBe(hash);
  // The app still shows the old number: a build that carries a hash other than its own.
  expect(changed.stamps[0]?.hash).toBe(hash);
});

it('refuses a build where the placeholder is missing or twice', async () => {
  writeFileSync(path.join(dir, 'assets', 'other.js'), STAMP_PLACEHOLDER);
  await expect(stampBuild(dir)).rejects.toThrow(/in 2 files/);
  rmSync(path.join(dir, 'assets', 'other.js'));
  rmSync(about());
  await expect(stampBuild(dir)).rejects.toThrow(/in 0 files/);
});
