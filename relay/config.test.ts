import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseSize } from './config.ts';

const load = (env: Record<string, string>) => loadConfig(env, '/srv/hearth');

describe('loadConfig', () => {
  it('has working defaults for a plain `npm start`', () => {
    const c = load({});
    expect(c.port).toBe(8787);
    expect(c.host).toBe('0.0.0.0');
    expect(c.dataDir).toBe('/srv/hearth/data');
    expect(c.staticDir).toBe('/srv/hearth/dist');
    expect(c.origins).toBeNull();
    expect(c.iceServers).toEqual([]);
    expect(c.tls).toBeNull();
    expect(c.testTap).toBe(false);
    expect(c.logLevel).toBe('info');
    expect(c.mailbox.roomMaxBytes).toBe(64 * 1024 * 1024);
    expect(c.mailbox.roomMaxEntries).toBe(20_000);
    expect(c.mailbox.retentionDays).toBe(90);
    expect(c.mailbox.maxBody).toBe(8 * 1024 * 1024);
    expect(c.mailbox.totalMaxBytes).toBe(4 * 1024 ** 3);
    expect(c.mailbox.diskReserveBytes).toBe(512 * 1024 ** 2);
    expect(c.mailbox.clientNewRoomsPerDay).toBe(20);
    expect(c.mailbox.clientBytesPerDay).toBe(256 * 1024 ** 2);
  });

  it('reads every documented variable', () => {
    const c = load({
      PORT: '0',
      HOST: '127.0.0.1',
      HEARTH_DATA: '/var/lib/hearth',
      HEARTH_STATIC: 'build',
      HEARTH_ORIGINS: 'https://hearth.example.org, http://localhost:5173',
      HEARTH_ROOM_MAX_BYTES: '16MiB',
      HEARTH_ROOM_MAX_ENTRIES: '500',
      HEARTH_RETENTION_DAYS: '30',
      HEARTH_MAILBOX_MAX_BODY: '1 MB',
      HEARTH_LOG: 'silent',
      HEARTH_TEST_TAP: '1',
      HEARTH_TRUST_PROXY: 'true',
      HEARTH_MAX_CONNECTIONS_PER_IP: '5',
      HEARTH_MAILBOX_BUDGET: '20GiB',
      HEARTH_DISK_RESERVE: '0',
      HEARTH_CLIENT_NEW_ROOMS_PER_DAY: '3',
      HEARTH_CLIENT_BYTES_PER_DAY: '32MiB',
    });
    expect(c.port).toBe(0);
    expect(c.host).toBe('127.0.0.1');
    expect(c.dataDir).toBe('/var/lib/hearth');
    expect(c.staticDir).toBe('/srv/hearth/build');
    expect(c.origins).toEqual(['https://hearth.example.org', 'http://localhost:5173']);
    expect(c.mailbox.roomMaxBytes).toBe(16 * 1024 * 1024);
    expect(c.mailbox.roomMaxEntries).toBe(500);
    expect(c.mailbox.retentionDays).toBe(30);
    expect(c.mailbox.maxBody).toBe(1024 * 1024);
    expect(c.logLevel).toBe('silent');
    expect(c.testTap).toBe(true);
    expect(c.trustProxy).toBe(true);
    expect(c.signaling.maxConnectionsPerIp).toBe(5);
    expect(c.mailbox.totalMaxBytes).toBe(20 * 1024 ** 3);
    expect(c.mailbox.diskReserveBytes).toBe(0);
    expect(c.mailbox.clientNewRoomsPerDay).toBe(3);
    expect(c.mailbox.clientBytesPerDay).toBe(32 * 1024 ** 2);
  });

  it('builds ICE servers from a JSON array or from the STUN/TURN shorthands', () => {
    expect(
      load({
        HEARTH_ICE_SERVERS:
          '[{"urls":["stun:a.example:3478"]},{"urls":"turn:b.example","username":"u","credential":"p"}]',
      }).iceServers,
    ).toEqual([
      { urls: ['stun:a.example:3478'] },
      { urls: 'turn:b.example', username: 'u', credential: 'p' },
    ]);
    expect(
      load({
        HEARTH_STUN_URLS: 'stun:a.example:3478',
        HEARTH_TURN_URL: 'turn:b.example:3478?transport=udp,turns:b.example:5349',
        HEARTH_TURN_USERNAME: 'u',
        HEARTH_TURN_CREDENTIAL: 'p',
      }).iceServers,
    ).toEqual([
      { urls: 'stun:a.example:3478' },
      {
        urls: ['turn:b.example:3478?transport=udp', 'turns:b.example:5349'],
        username: 'u',
        credential: 'p',
      },
    ]);
  });

  it('finds TLS files relative to the working directory', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hearth-config-'));
    writeFileSync(path.join(dir, 'cert.pem'), 'x');
    writeFileSync(path.join(dir, 'key.pem'), 'y');
    const c = loadConfig({ HEARTH_TLS_CERT: 'cert.pem', HEARTH_TLS_KEY: 'key.pem' }, dir);
    expect(c.tls).toEqual({
      certFile: path.join(dir, 'cert.pem'),
      keyFile: path.join(dir, 'key.pem'),
    });
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT must be between 0 and 65535/],
    [{ HEARTH_ORIGINS: 'hearth.example.org' }, /HEARTH_ORIGINS/],
    [{ HEARTH_ORIGINS: 'https://hearth.example.org/app' }, /only scheme, host and port/],
    [{ HEARTH_ICE_SERVERS: '{"urls":"stun:x"}' }, /JSON array/],
    [{ HEARTH_ICE_SERVERS: 'not json' }, /JSON array/],
    [{ HEARTH_ICE_SERVERS: '[{"urls":"http://x"}]' }, /not a stun:/],
    [{ HEARTH_ICE_SERVERS: '[{"urls":"turn:x"}]' }, /username and credential/],
    [{ HEARTH_ICE_SERVERS: '[]', HEARTH_STUN_URLS: 'stun:x' }, /not both/],
    [{ HEARTH_STUN_URLS: 'stun:a:3478, turn:b:3478' }, /"turn:b:3478", a TURN server/],
    [{ HEARTH_TURN_URL: 'turn:x' }, /HEARTH_TURN_USERNAME/],
    [{ HEARTH_TURN_USERNAME: 'u' }, /need HEARTH_TURN_URL/],
    [{ HEARTH_TLS_CERT: 'cert.pem' }, /must be set together/],
    [{ HEARTH_TLS_CERT: '/nope/c.pem', HEARTH_TLS_KEY: '/nope/k.pem' }, /does not exist/],
    [{ HEARTH_ROOM_MAX_BYTES: '64 parsecs' }, /HEARTH_ROOM_MAX_BYTES must be a size/],
    [{ HEARTH_MAILBOX_MAX_BODY: '1' }, /between 1024/],
    [{ HEARTH_ROOM_MAX_ENTRIES: '0' }, /HEARTH_ROOM_MAX_ENTRIES must be between/],
    [{ HEARTH_RETENTION_DAYS: '-1' }, /whole number/],
    [{ HEARTH_LOG: 'loud' }, /HEARTH_LOG must be info, debug or silent/],
    [{ HEARTH_TEST_TAP: 'maybe' }, /HEARTH_TEST_TAP must be 1 or 0/],
  ])('refuses %o with a plain message', (env, message) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(message);
  });

  it('reads the metrics token, refusing one too short to guess slowly', () => {
    expect(load({}).metricsToken).toBeNull();
    const token = 'c8f1a2b3d4e5f60718293a4b5c6d7e8f';
    expect(load({ HEARTH_METRICS_TOKEN: token }).metricsToken).toBe(token);
    for (const bad of ['short', 'has a space in it, sixteen+', 'x'.repeat(513)]) {
      expect(() => load({ HEARTH_METRICS_TOKEN: bad })).toThrow(/HEARTH_METRICS_TOKEN must be/);
    }
  });

  it('reads the other relays the app may connect to', () => {
    expect(load({}).connectRelays).toEqual([]);
    expect(
      load({ HEARTH_RELAYS: 'https://a.example.org, https://b.example.org:8443' }).connectRelays,
    ).toEqual(['https://a.example.org', 'https://b.example.org:8443']);
    expect(() => load({ HEARTH_RELAYS: 'https://a.example.org/signal' })).toThrow(
      /^HEARTH_RELAYS holds/,
    );
  });

  it('switches to PostgreSQL only with a PostgreSQL URL in HEARTH_DATABASE_URL', () => {
    expect(load({}).databaseUrl).toBeNull();
    const url = 'postgres://hearth:secret@db.example.org:5432/hearth';
    expect(load({ HEARTH_DATABASE_URL: url }).databaseUrl).toBe(url);
    expect(() => load({ HEARTH_DATABASE_URL: 'mysql://db/hearth' })).toThrow(
      /^HEARTH_DATABASE_URL must be a PostgreSQL URL/,
    );
  });

  it('treats an empty variable as unset', () => {
    expect(load({ PORT: '', HEARTH_ORIGINS: '  ' })).toMatchObject({ port: 8787, origins: null });
  });
});

describe('parseSize', () => {
  it('understands binary units', () => {
    expect(parseSize('X', '512', 0, 1e12)).toBe(512);
    expect(parseSize('X', '64KiB', 0, 1e12)).toBe(65536);
    expect(parseSize('X', '8 mb', 0, 1e12)).toBe(8 * 1024 * 1024);
    expect(parseSize('X', '1G', 0, 1e12)).toBe(1024 ** 3);
  });
});
