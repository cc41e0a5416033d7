// What a first visit downloads decides how fast Hearth opens on a weak phone: this measures
// the gzip size of the JS the entry page needs (its module script, modulepreloads and their
// static imports) apart from the chunks that load on demand.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { gzipSync } from 'node:zlib';

const attr = (tag, name) => tag.match(new RegExp(`\\s${name}\\s*=\\s*["']([^"']+)["']`, 'i'))?.[1];

/** Script srcs and modulepreload hrefs of an HTML page, as written. */
export function entryUrls(html) {
  const urls = [];
  for (const [tag] of html.matchAll(/<script\b[^>]*>/gi)) {
    if (attr(tag, 'type') === 'module' && attr(tag, 'src')) urls.push(attr(tag, 'src'));
  }
  for (const [tag] of html.matchAll(/<link\b[^>]*>/gi)) {
    if (attr(tag, 'rel')?.toLowerCase() === 'modulepreload' && attr(tag, 'href')) {
      urls.push(attr(tag, 'href'));
    }
  }
  return urls;
}

/**
 * Specifiers of the static imports and re-exports of an ES module (as bundlers emit them:
 * `import{a}from"./x.js"`, `import"./y.js"`, `export*from"./z.js"`); `import()` is skipped.
 */
export function staticImports(code) {
  const out = [];
  const re = /(?:^|[;}\n\s])(?:import|export)\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+)["']/g;
  for (const m of code.matchAll(re)) out.push(m[1]);
  return out;
}

const gz = (buf) => gzipSync(buf).length;

/** Sizes for the built app in `distDir`. */
export function measureBundle(distDir) {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const toFile = (url, fromFile) => {
    if (/^[a-z]+:/i.test(url) || url.startsWith('//')) return null;
    const path = url.startsWith('/')
      ? posix.normalize(url)
      : posix.join(posix.dirname(fromFile ?? '/index.html'), url);
    return path.split('?')[0];
  };
  const initial = new Set();
  const queue = entryUrls(html)
    .map((u) => toFile(u))
    .filter(Boolean);
  while (queue.length) {
    const file = queue.shift();
    if (initial.has(file) || !file.endsWith('.js') || !existsSync(join(distDir, file))) continue;
    initial.add(file);
    const code = readFileSync(join(distDir, file), 'utf8');
    for (const spec of staticImports(code)) {
      const next = toFile(spec, file);
      if (next) queue.push(next);
    }
  }
  const sizeOf = (file) => {
    const buf = readFileSync(join(distDir, file));
    return { file, bytes: buf.length, gzip: gz(buf) };
  };
  const initialFiles = [...initial].map(sizeOf);
  const assetsDir = join(distDir, 'assets');
  const allFiles = readdirSync(assetsDir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => sizeOf(`/${posix.join('assets', f)}`));
  const swFiles = readdirSync(distDir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => sizeOf(`/${f}`));
  const sum = (list, k) => list.reduce((n, f) => n + f[k], 0);
  // The note editor's chunk and what it imports that the first load did not bring.
  const editor = new Set();
  const editorQueue = allFiles
    .filter((f) => /\/NoteEditor-[^/]*\.js$/.test(f.file))
    .map((f) => f.file);
  while (editorQueue.length) {
    const file = editorQueue.shift();
    if (editor.has(file) || initial.has(file) || !existsSync(join(distDir, file))) continue;
    editor.add(file);
    for (const spec of staticImports(readFileSync(join(distDir, file), 'utf8'))) {
      const next = toFile(spec, file);
      if (next) editorQueue.push(next);
    }
  }
  return {
    bundle_initial_js_gzip_bytes: sum(initialFiles, 'gzip'),
    bundle_initial_js_bytes: sum(initialFiles, 'bytes'),
    bundle_total_js_gzip_bytes: sum(allFiles, 'gzip'),
    bundle_total_js_bytes: sum(allFiles, 'bytes'),
    bundle_service_worker_js_gzip_bytes: sum(swFiles, 'gzip'),
    note_editor_chunk_gzip_bytes: editor.size ? sum([...editor].map(sizeOf), 'gzip') : undefined,
    files: {
      initial: initialFiles,
      lazy: allFiles.filter((f) => !initial.has(f.file)),
    },
  };
}
