// @vitest-environment node
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchRelayConfig, parseIceServers } from './relayConfig.ts';

describe('parseIceServers', () => {
  it('keeps well-formed STUN and TURN entries', () => {
    expect(
      parseIceServers({
        iceServers: [
          { urls: 'stun:stun.example.org:3478' },
          {
            urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349'],
            username: 'u',
            credential: 'c',
          },
        ],
      }),
    ).toEqual([
      { urls: 'stun:stun.example.org:3478' },
      {
        urls: ['turn:turn.example.org:3478?transport=udp', 'turns:turn.example.org:5349'],
        username: 'u',
        credential: 'c',
      },
    ]);
  });
  it('drops anything else', () => {
    expect(parseIceServers(null)).toEqual([]);
    expect(parseIceServers({ iceServers: 'stun:x' })).toEqual([]);
    expect(
      parseIceServers({
        iceServers: [
          { urls: 'https://evil.example' },
          { urls: ['stun:ok', 'javascript:alert(1)'] },
          { urls: 'stun:ok', username: 5 },
          { urls: [] },
          'stun:bare-string',
          null,
          { urls: 'stun:fine' },
        ],
      }),
    ).toEqual([{ urls: 'stun:fine' }]);
    const many = { iceServers: Array.from({ length: 20 }, (_, i) => ({ urls: `stun:s${i}` })) };
    expect(parseIceServers(many)).toHaveLength(8);
  });
});

describe('fetchRelayConfig', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/good/config') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ iceServers: [{ urls: 'stun:127.0.0.1:3478' }] }));
      } else if (req.url === '/junk/config') {
        res.writeHead(200).end('{not json');
      } else {
        res.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads the relay’s ICE servers', async () => {
    expect(await fetchRelayConfig(`${base}/good`)).toEqual({
      iceServers: [{ urls: 'stun:127.0.0.1:3478' }],
      reachable: true,
    });
  });
  it('falls back to no ICE servers when /config is missing, broken or unreachable', async () => {
    const none = { iceServers: [], reachable: false };
    expect(await fetchRelayConfig(`${base}/missing`)).toEqual(none);
    expect(await fetchRelayConfig(`${base}/junk`)).toEqual(none);
    expect(await fetchRelayConfig('http://127.0.0.1:1')).toEqual(none);
  });
});
