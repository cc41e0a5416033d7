import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentSecurityPolicy, HSTS, SECURITY_HEADERS } from './http.ts';
import type { RelayOptions } from './server.ts';
import { pickEncoding, resolveStaticPath } from './static.ts';
import { FrameCollector, startTestRelay, type TestRelay } from './testing.ts';

const running: TestRelay[] = [];
let site: string;
let dist: string;

async function start(options: RelayOptions = {}): Promise<TestRelay> {
  const r = await startTestRelay({ staticDir: dist, ...options });
  running.push(r);
  return r;
}

beforeEach(() => {
  site = mkdtempSync(path.join(tmpdir(), 'hearth-static-'));
  dist = path.join(site, 'dist');
  mkdirSync(path.join(dist, 'assets'), { recursive: true });
  mkdirSync(path.join(dist, 'icons'));
  writeFileSync(path.join(dist, 'index.html'), '<!doctype html><title>Hearth</title>');
  writeFileSync(path.join(dist, 'assets', 'index-3f9a1c.js'), 'console.log(1)');
  writeFileSync(path.join(dist, 'assets', 'index-77aa01.css'), 'body{}');
  writeFileSync(path.join(dist, 'assets', 'sql-5d1e.wasm'), Buffer.from([0, 97, 115, 109]));
  writeFileSync(path.join(dist, 'sw.js'), 'self.addEventListener("fetch", () => {})');
  writeFileSync(path.join(dist, 'registerSW.js'), '');
  writeFileSync(path.join(dist, 'manifest.webmanifest'), '{"name":"Hearth"}');
  writeFileSync(path.join(dist, 'icons', 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(path.join(dist, 'icons', 'icon-192.png'), Buffer.from([137, 80, 78, 71]));
  writeFileSync(path.join(dist, 'data.json'), '{}');
  writeFileSync(path.join(dist, '.env'), 'SECRET=1');
  writeFileSync(path.join(site, 'secret.txt'), 'outside the static folder');
  symlinkSync(path.join(site, 'secret.txt'), path.join(dist, 'leak.txt'));
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((r) => r.dispose()));
  rmSync(site, { recursive: true, force: true });
});

/** Sends raw bytes and returns the status line and the whole answer text. */
function rawRequest(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (d) => {
      answer += d.toString('latin1');
    });
    socket.on('end', () => resolve(answer));
    socket.on('close', () => resolve(answer));
    socket.on('error', (e) => (answer ? resolve(answer) : reject(e)));
    socket.write(text);
  });
}

describe('static app files', () => {
  it.each([
    ['/', 'text/html; charset=utf-8', 'no-cache'],
    ['/index.html', 'text/html; charset=utf-8', 'no-cache'],
    [
      '/assets/index-3f9a1c.js',
      'text/javascript; charset=utf-8',
      'public, max-age=31536000, immutable',
    ],
    ['/assets/index-77aa01.css', 'text/css; charset=utf-8', 'public, max-age=31536000, immutable'],
    ['/assets/sql-5d1e.wasm', 'application/wasm', 'public, max-age=31536000, immutable'],
    ['/sw.js', 'text/javascript; charset=utf-8', 'no-cache'],
    ['/registerSW.js', 'text/javascript; charset=utf-8', 'no-cache'],
    ['/manifest.webmanifest', 'application/manifest+json; charset=utf-8', 'no-cache'],
    ['/icons/icon.svg', 'image/svg+xml', 'no-cache'],
    ['/icons/icon-192.png', 'image/png', 'no-cache'],
    ['/data.json', 'application/json; charset=utf-8', 'no-cache'],
  ])('serves %s as %s with Cache-Control %s', async (p, type, cache) => {
    const r = await start();
    const res = await fetch(`${r.url}${p}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('cache-control')).toBe(cache);
  });

  it('answers unknown app routes with index.html, but not unknown files', async () => {
    const r = await start();
    for (const p of ['/groups/abc', '/join', '/settings/']) {
      const res = await fetch(`${r.url}${p}`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<title>Hearth</title>');
    }
    for (const p of ['/missing.js', '/assets/index-000000.js', '/assets/nothing', '/icons/x.png']) {
      expect((await fetch(`${r.url}${p}`)).status).toBe(404);
    }
  });

  it('does not fall back to the app for API paths', async () => {
    const r = await start();
    const res = await fetch(`${r.url}/mailbox/nope`);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect((await fetch(`${r.url}/metrics`)).headers.get('content-type')).toMatch(/text\/plain/);
  });

  it('never serves a file outside the folder, hidden files, or symlinks that leave it', async () => {
    const r = await start();
    const port = r.relay.address!.port;
    for (const p of [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/%2e%2e%5csecret.txt',
      '/.env',
      '/leak.txt',
      '/%00index.html',
      '/%E0%A4%A',
    ]) {
      const answer = await rawRequest(
        port,
        `GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      expect(answer, p).toMatch(/^HTTP\/1\.1 (400|404)/);
      expect(answer, p).not.toContain('outside the static folder');
      expect(answer, p).not.toContain('SECRET');
    }
  });

  it('compresses text files as the browser accepts (brotli, else gzip), never images', async () => {
    const big = `console.log(${JSON.stringify('hearth '.repeat(5000))});`;
    writeFileSync(path.join(dist, 'assets', 'main-aa11bb.js'), big);
    const r = await start();
    const port = r.relay.address!.port;
    const get = (p: string, accept?: string) =>
      new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>(
        (resolve, reject) => {
          const req = http.get(
            {
              host: '127.0.0.1',
              port,
              path: p,
              headers: accept ? { 'Accept-Encoding': accept } : {},
            },
            (res) => {
              const parts: Buffer[] = [];
              res.on('data', (d: Buffer) => parts.push(d));
              res.on('end', () =>
                resolve({
                  status: res.statusCode!,
                  headers: res.headers,
                  body: Buffer.concat(parts),
                }),
              );
            },
          );
          req.on('error', reject);
        },
      );
    const br = await get('/assets/main-aa11bb.js', 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(br.body.length).toBeLessThan(big.length / 10);
    expect(zlib.brotliDecompressSync(br.body).toString()).toBe(big);
    const gz = await get('/assets/main-aa11bb.js', 'gzip;q=1, br;q=0');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(zlib.gunzipSync(gz.body).toString()).toBe(big);
    const plain = await get('/assets/main-aa11bb.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.toString()).toBe(big);
    // Each form revalidates under its own ETag.
    expect(new Set([br, gz, plain].map((x) => x.headers.etag)).size).toBe(3);
    const png = await get('/icons/icon-192.png', 'br');
    expect(png.headers['content-encoding']).toBeUndefined();
    expect([...png.body]).toEqual([137, 80, 78, 71]);
    // A rebuilt file is compressed again, not served from the old copy.
    writeFileSync(path.join(dist, 'assets', 'main-aa11bb.js'), 'console.log(2)');
    const again = await get('/assets/main-aa11bb.js', 'br');
    expect(zlib.brotliDecompressSync(again.body).toString()).toBe('console.log(2)');
  });

  it('revalidates with ETag', async () => {
    const r = await start();
    const first = await fetch(`${r.url}/sw.js`);
    const etag = first.headers.get('etag')!;
    const again = await fetch(`${r.url}/sw.js`, { headers: { 'If-None-Match': etag } });
    expect(again.status).toBe(304);
  });

  it('says to build the app when the static folder is missing', async () => {
    const r = await start({ staticDir: path.join(site, 'nothing-here') });
    const res = await fetch(`${r.url}/`);
    expect(res.status).toBe(503);
    expect(await res.text()).toContain('Run npm run build first');
    expect((await fetch(`${r.url}/healthz`)).status).toBe(200);
  });

  it('refuses writes to static paths', async () => {
    const r = await start();
    expect((await fetch(`${r.url}/index.html`, { method: 'POST' })).status).toBe(405);
  });
});

describe('pickEncoding', () => {
  it.each([
    [undefined, null],
    ['', null],
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['BR;q=0.5', 'br'],
    ['gzip;q=0, br;q=0', null],
    ['identity, *;q=0', null],
    ['deflate', null],
  ])('%s gives %s', (accept, want) => {
    expect(pickEncoding(accept)).toBe(want);
  });
});

describe('relay HTTP endpoints', () => {
  it('puts the security headers on every kind of response', async () => {
    const r = await start();
    for (const p of [
      '/',
      '/assets/index-3f9a1c.js',
      '/nope.js',
      '/healthz',
      '/config',
      '/metrics',
      '/mailbox/x',
    ]) {
      const res = await fetch(`${r.url}${p}`);
      for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
        expect(res.headers.get(name), `${name} on ${p}`).toBe(value);
      }
      const host = new URL(r.url).host;
      expect(res.headers.get('content-security-policy'), `CSP on ${p}`).toBe(
        contentSecurityPolicy([`ws://${host}`]),
      );
      expect(res.headers.get('strict-transport-security'), `no HSTS over http on ${p}`).toBeNull();
    }
    expect(contentSecurityPolicy([])).toContain("frame-ancestors 'none'");
  });

  it('lets the app connect only to its own origin and the configured relays', async () => {
    const r = await start({ connectRelays: ['https://other.example.org'] });
    const csp = (await fetch(`${r.url}/`)).headers.get('content-security-policy')!;
    const connect = /connect-src ([^;]*);/.exec(csp)![1]!.split(' ');
    expect(connect).toEqual([
      "'self'",
      `ws://${new URL(r.url).host}`,
      'https://other.example.org',
      'wss://other.example.org',
    ]);
    // A Host header that is not a plain host name adds nothing.
    const odd = await new Promise<string>((resolve, reject) => {
      const req = http.get(
        `${r.url}/healthz`,
        { headers: { Host: 'evil.org; script-src *' } },
        (res) => {
          res.resume();
          resolve(String(res.headers['content-security-policy']));
        },
      );
      req.on('error', reject);
    });
    expect(/connect-src ([^;]*);/.exec(odd)![1]).toBe(
      "'self' https://other.example.org wss://other.example.org",
    );
  });

  it('sends HSTS over TLS, or when a trusted proxy says the request came over https', async () => {
    const behindProxy = await start({ trustProxy: true });
    const viaHttps = await fetch(`${behindProxy.url}/healthz`, {
      headers: { 'X-Forwarded-Proto': 'https' },
    });
    expect(viaHttps.headers.get('strict-transport-security')).toBe(HSTS);
    expect(viaHttps.headers.get('content-security-policy')).toContain(
      `wss://${new URL(behindProxy.url).host}`,
    );
    const viaHttp = await fetch(`${behindProxy.url}/healthz`, {
      headers: { 'X-Forwarded-Proto': 'http' },
    });
    expect(viaHttp.headers.get('strict-transport-security')).toBeNull();
    // The relay's own TLS: a throwaway self-signed certificate for 127.0.0.1.
    const dir = mkdtempSync(path.join(tmpdir(), 'hearth-tls-'));
    try {
      execFileSync(
        'openssl',
        [
          'req',
          '-x509',
          '-newkey',
          'ec',
          '-pkeyopt',
          'ec_paramgen_curve:prime256v1',
          '-nodes',
          '-subj',
          '/CN=127.0.0.1',
          '-addext',
          'subjectAltName=IP:127.0.0.1',
          '-days',
          '1',
          '-keyout',
          path.join(dir, 'key.pem'),
          '-out',
          path.join(dir, 'cert.pem'),
        ],
        { stdio: 'ignore' },
      );
      const cert = readFileSync(path.join(dir, 'cert.pem'));
      const tls = await start({ tls: { cert, key: readFileSync(path.join(dir, 'key.pem')) } });
      const headers = await new Promise<http.IncomingHttpHeaders>((resolve, reject) => {
        const req = https.get(`${tls.relay.url}/healthz`, { ca: cert }, (res) => {
          res.resume();
          resolve(res.headers);
        });
        req.on('error', reject);
      });
      expect(headers['strict-transport-security']).toBe(HSTS);
      expect(headers['content-security-policy']).toContain(`wss://${new URL(tls.relay.url).host}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // Without trusting the proxy, its header is ignored.
    const direct = await start();
    const claimed = await fetch(`${direct.url}/healthz`, {
      headers: { 'X-Forwarded-Proto': 'https' },
    });
    expect(claimed.headers.get('strict-transport-security')).toBeNull();
  });

  it('answers /healthz', async () => {
    const r = await start();
    const res = await fetch(`${r.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
  });

  it('answers /config with no ICE servers by default, and the configured ones', async () => {
    const plain = await start();
    const res = await fetch(`${plain.url}/config`, {
      headers: { Origin: 'https://other.example' },
    });
    expect(await res.json()).toEqual({ iceServers: [], mailbox: true });
    expect(res.headers.get('access-control-allow-origin')).toBe('*');

    const iceServers = [{ urls: 'turn:turn.example:3478', username: 'u', credential: 'p' }];
    const withTurn = await start({ iceServers });
    expect(await (await fetch(`${withTurn.url}/config`)).json()).toEqual({
      iceServers,
      mailbox: true,
    });
  });

  it('exposes Prometheus metrics that count connections, messages and rejections', async () => {
    const r = await start();
    const a = await FrameCollector.open(r.wsUrl);
    a.send({ type: 'subscribe', topics: ['t'] });
    a.send('{nope');
    a.send({ type: 'publish', topic: 't', data: 'x' });
    await a.next((f) => f.type === 'publish', 'echo');
    await fetch(`${r.url}/mailbox/not-a-room`);
    const text = await (await fetch(`${r.url}/metrics`)).text();
    expect(text).toContain('# TYPE hearth_connections gauge');
    expect(text).toMatch(/^hearth_connections 1$/m);
    expect(text).toMatch(/^hearth_topics 1$/m);
    expect(text).toMatch(/^hearth_messages_total\{direction="in"\} 3$/m);
    expect(text).toMatch(/^hearth_messages_total\{direction="out"\} 1$/m);
    expect(text).toMatch(/^hearth_bytes_total\{direction="in"\} \d+$/m);
    expect(text).toMatch(/^hearth_bytes_total\{direction="out"\} \d+$/m);
    expect(text).toMatch(/^hearth_mailbox_rooms 0$/m);
    expect(text).toMatch(/^hearth_mailbox_bytes 0$/m);
    expect(text).toMatch(/^hearth_rejections_total\{reason="bad-json"\} 1$/m);
    expect(text).toMatch(/^hearth_rejections_total\{reason="mailbox-bad-request"\} 1$/m);
    a.ws.terminate();
  });

  it('survives a request with thousands of headers', async () => {
    const r = await start();
    const port = r.relay.address!.port;
    let many = 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n';
    for (let i = 0; i < 5000; i++) many += `X-Filler-${i}: ${'v'.repeat(20)}\r\n`;
    const answer = await rawRequest(port, `${many}\r\n`);
    expect(answer).toMatch(/^HTTP\/1\.1 431/);

    let small = 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n';
    for (let i = 0; i < 1500; i++) small += `a${i}:1\r\n`;
    expect(await rawRequest(port, `${small}\r\n`)).toMatch(/^HTTP\/1\.1 200/);
    expect((await fetch(`${r.url}/healthz`)).status).toBe(200);
  });

  it('answers garbage on the wire with 400 and keeps serving', async () => {
    const r = await start();
    const answer = await rawRequest(r.relay.address!.port, 'BLAH\r\n\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 400/);
    expect((await fetch(`${r.url}/healthz`)).status).toBe(200);
  });

  it('records signaling frames for tests only when the test tap is on', async () => {
    const r = await start({ testTap: true });
    const a = await FrameCollector.open(r.wsUrl);
    a.send({ type: 'subscribe', topics: ['t'] });
    await a.sync();
    const list = (await (await fetch(`${r.url}/__test/received`)).json()) as string[];
    expect(list).toEqual(['{"type":"subscribe","topics":["t"]}', '{"type":"ping"}']);
    a.ws.terminate();
    const plain = await start();
    const res = await fetch(`${plain.url}/__test/received`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<title>Hearth</title>');
  });

  it('closes WebSocket clients with 1001 and refuses new requests on close', async () => {
    const r = await start();
    const a = await FrameCollector.open(r.wsUrl);
    await r.relay.close();
    expect(await a.closed()).toBe(1001);
    await expect(fetch(`${r.url}/healthz`)).rejects.toThrow();
  });
});

describe('resolveStaticPath', () => {
  it('maps safe paths inside the root and refuses everything else', () => {
    expect(resolveStaticPath('/srv/dist', '/assets/a.js')).toBe('/srv/dist/assets/a.js');
    expect(resolveStaticPath('/srv/dist', '/a%20b.png')).toBe('/srv/dist/a b.png');
    expect(resolveStaticPath('/srv/dist', '/')).toBe('/srv/dist');
    for (const p of [
      '/../x',
      '/a/../../x',
      '/%2e%2e/x',
      '/.git/config',
      '/a\\..\\x',
      '/%00',
      '/%zz',
    ]) {
      expect(resolveStaticPath('/srv/dist', p), p).toBeNull();
    }
  });
});
