// HEARTH_STATIC=off: the app is served by another host (docs/SELF-HOSTING.md, "Serving the
// app from another host"), so the relay answers no app file at all, even with a built app
// beside it, and still serves its API to the app's origin with the CORS the app needs.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { loadConfig } from './config.ts';
import { FrameCollector, newTestRoom, startTestRelay, type TestRelay } from './testing.ts';

const APP = 'https://app.example';
let relay: TestRelay | undefined;
let site: string | undefined;
const clients: FrameCollector[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.ws.terminate();
  await relay?.dispose();
  relay = undefined;
  if (site) rmSync(site, { recursive: true, force: true });
});

it('with HEARTH_STATIC=off serves no app but the whole API to the app origin', async () => {
  site = mkdtempSync(path.join(tmpdir(), 'hearth-static-off-'));
  mkdirSync(path.join(site, 'dist', 'assets'), { recursive: true });
  writeFileSync(path.join(site, 'dist', 'index.html'), '<!doctype html><title>Hearth</title>');
  writeFileSync(path.join(site, 'dist', 'sw.js'), '');
  writeFileSync(path.join(site, 'dist', 'assets', 'main-1a2b.js'), 'console.log(1)');

  const config = loadConfig({ HEARTH_STATIC: 'off', HEARTH_ORIGINS: APP }, site);
  expect(config.staticDir).toBeNull();
  expect(loadConfig({ HEARTH_STATIC: 'OFF' }, site).staticDir).toBeNull();
  relay = await startTestRelay({ staticDir: config.staticDir, origins: config.origins });
  const r = relay;

  for (const p of ['/', '/index.html', '/sw.js', '/assets/main-1a2b.js', '/manifest.webmanifest']) {
    const res = await fetch(`${r.url}${p}`);
    expect(res.status, p).toBe(404);
    expect(await res.text(), p).not.toContain('<title>Hearth');
  }

  const config1 = await fetch(`${r.url}/config`, { headers: { Origin: APP } });
  expect(config1.status).toBe(200);
  expect(config1.headers.get('access-control-allow-origin')).toBe(APP);
  expect(await config1.json()).toEqual({ iceServers: [], mailbox: true });

  const room = newTestRoom().room;
  const pre = await fetch(`${r.url}/mailbox/${room}`, {
    method: 'OPTIONS',
    headers: {
      Origin: APP,
      'Access-Control-Request-Method': 'POST',
      'Access-Control-Request-Headers': 'content-type',
    },
  });
  expect(pre.status).toBe(204);
  expect(pre.headers.get('access-control-allow-origin')).toBe(APP);
  expect(pre.headers.get('access-control-allow-methods')).toMatch(/POST/);
  const read = await fetch(`${r.url}/mailbox/${room}`, { headers: { Origin: APP } });
  expect(read.status).toBe(200);
  expect(read.headers.get('access-control-allow-origin')).toBe(APP);
  expect(read.headers.get('access-control-expose-headers')).toMatch(/X-Hearth-Next/);

  const invitePre = await fetch(`${r.url}/invite/${room}`, {
    method: 'OPTIONS',
    headers: { Origin: APP, 'Access-Control-Request-Method': 'POST' },
  });
  expect(invitePre.headers.get('access-control-allow-origin')).toBe(APP);

  clients.push(await FrameCollector.open(`${r.wsUrl}/signal`, { origin: APP }));
  await expect(
    FrameCollector.open(`${r.wsUrl}/signal`, { origin: 'https://evil.example' }),
  ).rejects.toThrow(/403/);
});
