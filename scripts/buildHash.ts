// The build hash: one SHA-256 over every file of the built app (dist/), so a member can tell
// which code they run and anyone can rebuild the repository and get the same number.
//
// The app shows the hash (Settings, About), so one chunk has to carry it. That chunk is
// built with a placeholder (STAMP_MARK followed by 64 zeros); the hash is taken over the
// files as built, with the placeholder, and then written over the placeholder. Checking a
// copy of the app does the reverse: every STAMP_MARK + 64 hex digits is read as the
// placeholder again, so the stamped files hash to the number they carry.
//
//   npm run build-hash                 the hash of ./dist, checked against the one it carries
//   npm run build-hash -- --list       also each file's own hash, to find which one differs
//   npm run build-hash -- --compare https://hearth.example.org
//                                      fetches the same files from a served copy and hashes them
//
// Precompressed copies (.br, .gz) are left out: they are derived from files that are in.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export const STAMP_MARK = 'hearth-build-hash:';
export const STAMP_PLACEHOLDER = `${STAMP_MARK}${'0'.repeat(64)}`;
const STAMPED = new RegExp(`${STAMP_MARK}[0-9a-f]{64}`, 'g');
const DERIVED = /\.(br|gz)$/;

export interface FileHash {
  /** Path under the build folder, with / separators. */
  readonly path: string;
  readonly sha256: string;
}

const sha256 = (data: string | Uint8Array): string =>
  createHash('sha256').update(data).digest('hex');

/** The bytes as built: any stamped hash read back as the placeholder. */
export function unstamp(bytes: Uint8Array): Buffer {
  const text = Buffer.from(bytes).toString('latin1');
  return Buffer.from(text.replace(STAMPED, STAMP_PLACEHOLDER), 'latin1');
}

/** The hashes a file carries (normally none, or one in the About chunk). */
export function stampsIn(bytes: Uint8Array): string[] {
  const text = Buffer.from(bytes).toString('latin1');
  return [...text.matchAll(STAMPED)].map((m) => m[0].slice(STAMP_MARK.length));
}

/** The build hash of a list of files: SHA-256 over `sha256sum`-style lines sorted by path. */
export function hashOf(files: readonly FileHash[]): string {
  const lines = [...files]
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((f) => `${f.sha256}  ${f.path}\n`)
    .join('');
  return sha256(lines);
}

export const fileHash = (relPath: string, bytes: Uint8Array): FileHash => ({
  path: relPath,
  sha256: sha256(unstamp(bytes)),
});

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await fs.readdir(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(dir, rel)));
    else if (entry.isFile() && !DERIVED.test(entry.name)) out.push(rel);
  }
  return out;
}

export interface BuildHash {
  readonly hash: string;
  readonly files: readonly FileHash[];
  /** What the files carry: every stamped hash found, with the file it is in. */
  readonly stamps: readonly { path: string; hash: string }[];
}

/** Hashes a build folder. */
export async function hashBuild(dir: string): Promise<BuildHash> {
  const files: FileHash[] = [];
  const stamps: { path: string; hash: string }[] = [];
  for (const rel of await listFiles(dir)) {
    const bytes = await fs.readFile(path.join(dir, rel));
    files.push(fileHash(rel, bytes));
    for (const hash of stampsIn(bytes)) stamps.push({ path: rel, hash });
  }
  return { hash: hashOf(files), files, stamps };
}

/**
 * Writes the build's hash over the placeholder (vite.config.ts runs this once every other
 * step has written its files). Exactly one file must carry the placeholder.
 */
export async function stampBuild(dir: string): Promise<string> {
  const { hash } = await hashBuild(dir);
  const carriers: string[] = [];
  for (const rel of await listFiles(dir)) {
    const file = path.join(dir, rel);
    const text = (await fs.readFile(file)).toString('latin1');
    if (!text.includes(STAMP_PLACEHOLDER)) continue;
    carriers.push(rel);
    await fs.writeFile(
      file,
      Buffer.from(text.replaceAll(STAMP_PLACEHOLDER, STAMP_MARK + hash), 'latin1'),
    );
  }
  if (carriers.length !== 1) {
    throw new Error(
      `the build hash placeholder is in ${carriers.length} files (${carriers.join(', ')}), not one`,
    );
  }
  return hash;
}

/** Fetches the same files from a served copy of the app and hashes them. */
export async function hashServed(baseUrl: string, like: readonly FileHash[]): Promise<BuildHash> {
  const files: FileHash[] = [];
  const stamps: { path: string; hash: string }[] = [];
  for (const f of like) {
    const res = await fetch(new URL(f.path, `${baseUrl.replace(/\/+$/, '')}/`), {
      cache: 'no-store',
    });
    if (!res.ok) throw new Error(`${f.path}: the server answered ${res.status}`);
    const bytes = new Uint8Array(await res.arrayBuffer());
    files.push(fileHash(f.path, bytes));
    for (const hash of stampsIn(bytes)) stamps.push({ path: f.path, hash });
  }
  return { hash: hashOf(files), files, stamps };
}

async function main(argv: readonly string[]): Promise<number> {
  const list = argv.includes('--list');
  const at = argv.indexOf('--compare');
  const served = at >= 0 ? argv[at + 1] : undefined;
  if (at >= 0 && !served) throw new Error('--compare needs the address the app is served from');
  const dir = argv.find((a, i) => !a.startsWith('--') && argv[i - 1] !== '--compare') ?? 'dist';
  const local = await hashBuild(path.resolve(dir));
  if (local.files.length === 0) throw new Error(`${dir} holds no files: run npm run build first`);
  const print = (label: string, b: BuildHash) => {
    console.log(`${label}${b.hash}`);
    if (list) for (const f of b.files) console.log(`${f.sha256}  ${f.path}`);
  };
  print('', local);
  let ok = true;
  const carried = new Set(local.stamps.map((s) => s.hash));
  if (carried.size !== 1 || !carried.has(local.hash)) {
    console.error(
      `The app in ${dir} shows ${[...carried].join(', ') || 'no hash'}, not the hash of its files.`,
    );
    ok = false;
  }
  if (served) {
    const remote = await hashServed(served, local.files);
    print(`${served}: `, remote);
    if (remote.hash !== local.hash) {
      const mine = new Map(local.files.map((f) => [f.path, f.sha256]));
      const differ = remote.files.filter((f) => mine.get(f.path) !== f.sha256).map((f) => f.path);
      console.error(`The served app differs from this build in: ${differ.join(', ')}`);
      ok = false;
    } else console.log('The served app is this build.');
  }
  return ok ? 0 : 1;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(2);
    },
  );
}
