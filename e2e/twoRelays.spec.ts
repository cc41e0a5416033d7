// A community relay as several processes behind one address, on one PostgreSQL
// (HEARTH_DATABASE_URL). The address is a small sticky load balancer in front of two relay
// processes: Alice's browser is sent to process 1, Bob's to process 2 (a request header set
// on his browser context picks it, as a sticky balancer would pin a client). They find each
// other through signaling shared over PostgreSQL and sync live, and what one uploads through
// its process is read through the other's, invite capsule included.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import net from 'node:net';
import { expect, test } from '@playwright/test';
import { startTestPostgres, type TestPostgres } from '../relay/testPostgres.ts';
import {
  bytesText,
  createGroup,
  expectUploaded,
  inviteLink,
  join,
  type Member,
  mailboxWrites,
  newMemberAt,
  openGroup,
  reply,
  signalingFrames,
  startThread,
  syncStatus,
} from './helpers.ts';
import { type RelayProcess, startRelayProcess } from './relayProcess.ts';

const BACKEND_HEADER = 'x-hearth-backend';

/** One address in front of the relays: requests and upgrades go to backends[header ?? 0]. */
async function stickyBalancer(ports: readonly number[]): Promise<{ url: string; close(): void }> {
  const pick = (req: http.IncomingMessage) => ports[Number(req.headers[BACKEND_HEADER] ?? 0)]!;
  const server = http.createServer((req, res) => {
    const upstream = http.request(
      {
        host: '127.0.0.1',
        port: pick(req),
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    const upstream = net.connect(pick(req), '127.0.0.1', () => {
      let lines = `${req.method} ${req.url} HTTP/1.1\r\n`;
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        lines += `${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}\r\n`;
      }
      upstream.write(`${lines}\r\n`);
      upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

let postgres: TestPostgres;
let relays: RelayProcess[] = [];
let balancer: { url: string; close(): void };
const members: Member[] = [];

test.beforeAll(async () => {
  test.setTimeout(120_000);
  postgres = await startTestPostgres();
  const env = { HEARTH_DATABASE_URL: await postgres.freshDatabase() };
  relays = [await startRelayProcess({ env }), await startRelayProcess({ env })];
  balancer = await stickyBalancer(relays.map((r) => r.port));
});
test.afterAll(async () => {
  for (const m of members.splice(0)) await m.context.close().catch(() => {});
  balancer?.close();
  for (const r of relays) await r.dispose();
  await postgres?.stop();
});

test('two members on two relay processes sharing one PostgreSQL sync through the mailbox and live', async ({
  browser,
  request,
}) => {
  test.setTimeout(150_000);
  const stamp = Date.now().toString(36);
  const groupName = `Tool library ${stamp}`;
  const title = `Ladder ${stamp}`;
  const body = `Who has the long ladder ${stamp}`;
  const answer = `It is in my shed ${stamp}`;
  const [one, two] = relays as [RelayProcess, RelayProcess];

  const alice = await newMemberAt(browser, 'Alice', balancer.url);
  members.push(alice);
  const bob = await newMemberAt(browser, 'Bob', balancer.url);
  members.push(bob);
  await bob.context.setExtraHTTPHeaders({ [BACKEND_HEADER]: '1' });

  await createGroup(alice, groupName);
  const link = await inviteLink(alice);
  await startThread(alice, title, body);
  await expectUploaded(alice);

  await test.step('Bob joins through process 2 while Alice is away: all from the mailbox', async () => {
    await alice.page.goto('about:blank');
    // The capsule was stored through process 1 and is opened through process 2.
    await join(bob, link, groupName, 'Alice');
    await bob.page.getByRole('link', { name: title }).click();
    await expect(bob.page.getByText(body)).toBeVisible();
    await expectUploaded(bob);
  });

  await test.step('Alice comes back on process 1: both find each other and sync live', async () => {
    await openGroup(alice, groupName, title);
    for (const m of [alice, bob]) await expect(syncStatus(m)).toHaveText('Live with 1 person');
    await reply(bob, answer);
    await expect(alice.page.getByText(answer)).toBeVisible();
    await expectUploaded(bob);
  });

  await test.step('each member really was on its own process', async () => {
    const subscribed = async (r: RelayProcess) =>
      (await signalingFrames(request, r.url)).filter((f) => f.type === 'subscribe').length;
    expect(await subscribed(one)).toBeGreaterThan(0);
    expect(await subscribed(two)).toBeGreaterThan(0);
    const opened = async (r: RelayProcess) =>
      (await mailboxWrites(request, r.url, link)).map((w) => (w.opened ? bytesText(w.opened) : ''));
    // Alice's thread went up through process 1, Bob's answer through process 2.
    expect((await opened(one)).some((t) => t.includes(body))).toBe(true);
    expect((await opened(two)).some((t) => t.includes(answer))).toBe(true);
  });
});
