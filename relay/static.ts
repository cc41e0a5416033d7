// Serves the built app (HEARTH_STATIC) so one process is the whole Hearth install: hashed
// assets cached forever, the shell and service worker always revalidated, unknown app
// routes answered with index.html, and nothing outside the folder reachable.
import { createReadStream, promises as fs, type Stats } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { sendText } from './http.ts';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Text types worth compressing (images and wasm are compressed already or barely shrink). */
const COMPRESSIBLE = new Set([
  '.html',
  '.js',
  '.mjs',
  '.css',
  '.json',
  '.map',
  '.webmanifest',
  '.svg',
  '.txt',
]);
/** Larger files are streamed as they are. */
const MAX_COMPRESSED_SOURCE = 8 * 1024 * 1024;

type Encoding = 'br' | 'gzip';

/**
 * The encoding to send for an Accept-Encoding header: brotli, else gzip, else none. A coding
 * listed with q=0 is refused.
 */
export function pickEncoding(accept: string | undefined): Encoding | null {
  if (!accept) return null;
  const ok = new Set<string>();
  for (const part of accept.split(',')) {
    const [name = '', ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    if (q !== undefined && !(Number(q.slice(2)) > 0)) continue;
    ok.add(name.trim());
  }
  if (ok.has('br')) return 'br';
  if (ok.has('gzip')) return 'gzip';
  return null;
}

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

interface Compressed {
  /** The file's size and time, so a rebuilt file is compressed again. */
  readonly tag: string;
  readonly br: Promise<Buffer>;
  readonly gzip: Promise<Buffer>;
}

export class StaticFiles {
  private readonly root: string;
  /**
   * Compressed copies of the app's text files, made on first request and kept: the app's
   * 300 KB main chunk goes out as ~67 KB of brotli, which a phone on a slow link feels.
   * Only files that exist in the folder get an entry, so its size is bounded by the build.
   */
  private readonly compressed = new Map<string, Compressed>();

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
    const name = path.basename(file);
    const cache = pathname.startsWith('/assets/') && !REVALIDATE.has(name) ? IMMUTABLE : 'no-cache';
    const compressible =
      COMPRESSIBLE.has(path.extname(file).toLowerCase()) && stat.size <= MAX_COMPRESSED_SOURCE;
    const encoding = compressible ? pickEncoding(req.headers['accept-encoding']) : null;
    const tag = `${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}`;
    const etag = `W/"${tag}${encoding ? `-${encoding}` : ''}"`;
    res.setHeader('Cache-Control', cache);
    res.setHeader('ETag', etag);
    res.setHeader('Last-Modified', stat.mtime.toUTCString());
    if (compressible) res.setHeader('Vary', 'Accept-Encoding');
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304);
      res.end();
      return;
    }
    if (encoding) {
      let body: Buffer;
      try {
        body = await this.compress(file, tag, encoding);
      } catch {
        // Unreadable now (being rebuilt?): say so rather than send half a file.
        this.compressed.delete(file);
        return sendText(res, 503, 'Try again in a moment');
      }
      res.writeHead(200, {
        'Content-Type': contentTypeOf(file),
        'Content-Encoding': encoding,
        'Content-Length': body.length,
      });
      res.end(req.method === 'HEAD' ? undefined : body);
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

  private compress(file: string, tag: string, encoding: Encoding): Promise<Buffer> {
    let entry = this.compressed.get(file);
    if (!entry || entry.tag !== tag) {
      const raw = fs.readFile(file);
      entry = {
        tag,
        // Quality 5: within a few percent of the best brotli for a tenth of its time.
        br: raw.then((b) =>
          brotli(b, {
            params: {
              [zlib.constants.BROTLI_PARAM_QUALITY]: 5,
              [zlib.constants.BROTLI_PARAM_SIZE_HINT]: b.length,
            },
          }),
        ),
        gzip: raw.then((b) => gzip(b, { level: 9 })),
      };
      entry.br.catch(() => {});
      entry.gzip.catch(() => {});
      this.compressed.set(file, entry);
    }
    return entry[encoding];
  }
}
