// Serves the built app (HEARTH_STATIC) so one process is the whole Hearth install: hashed
// assets cached forever, the shell and service worker always revalidated, unknown app
// routes answered with index.html, and nothing outside the folder reachable.
import { createReadStream, promises as fs, type Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { sendText } from './http.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

const REVALIDATE = new Set(['index.html', 'sw.js', 'registerSW.js', 'manifest.webmanifest']);
const IMMUTABLE = 'public, max-age=31536000, immutable';

export const contentTypeOf = (file: string): string =>
  TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';

export const NOT_BUILT_PAGE =
  '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Hearth relay</title></head>' +
  '<body><h1>Hearth relay is running</h1><p>The app is not built yet. ' +
  'Run npm run build first, then reload this page.</p></body></html>';

/**
 * Maps a URL path to a file under `root`, or null when the path could escape the folder or
 * names a hidden file. Decoding happens here, once.
 */
export function resolveStaticPath(root: string, pathname: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s.startsWith('.'))) return null;
  const file = path.join(root, ...segments);
  const rel = path.relative(root, file);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return file;
}

async function statFile(file: string): Promise<Stats | null> {
  try {
    const s = await fs.stat(file);
    return s.isFile() ? s : null;
  } catch {
    return null;
  }
}

export class StaticFiles {
  private readonly root: string;

  constructor(root: string) {
    this.root = path.resolve(root);
  }

  async handle(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return sendText(res, 405, 'Method not allowed');
    }
    const index = path.join(this.root, 'index.html');
    const indexStat = await statFile(index);
    if (!indexStat) return sendText(res, 503, NOT_BUILT_PAGE, 'text/html');

    const file = resolveStaticPath(this.root, pathname);
    if (file === null) return sendText(res, 404, 'Not found');
    const stat = file === this.root ? null : await statFile(file);
    if (stat && (await this.inside(file))) return this.send(req, res, file, stat, pathname);

    const last = pathname.slice(pathname.lastIndexOf('/') + 1);
    if (pathname.startsWith('/assets/') || last.includes('.')) {
      return sendText(res, 404, 'Not found');
    }
    return this.send(req, res, index, indexStat, '/index.html');
  }

  /** Refuses a symlink that leads out of the folder. */
  private async inside(file: string): Promise<boolean> {
    try {
      const [realRoot, realFile] = await Promise.all([fs.realpath(this.root), fs.realpath(file)]);
      const rel = path.relative(realRoot, realFile);
      return !rel.startsWith('..') && !path.isAbsolute(rel);
    } catch {
      return false;
    }
  }

  private async send(
    req: IncomingMessage,
    res: ServerResponse,
    file: string,
    stat: Stats,
    pathname: string,
  ): Promise<void> {
    const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    const name = path.basename(file);
    const cache = pathname.startsWith('/assets/') && !REVALIDATE.has(name) ? IMMUTABLE : 'no-cache';
    res.setHeader('Cache-Control', cache);
    res.setHeader('ETag', etag);
    res.setHeader('Last-Modified', stat.mtime.toUTCString());
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304);
      res.end();
      return;
    }
    res.writeHead(200, { 'Content-Type': contentTypeOf(file), 'Content-Length': stat.size });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    try {
      await pipeline(createReadStream(file), res);
    } catch {
      res.destroy();
    }
  }
}
