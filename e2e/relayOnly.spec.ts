// Two members who cannot connect directly both stay open on one thread. A reply still reaches
// the other at once: after the mailbox write the relay sends a content-free notice on the
// signaling socket, and the app pulls. Nobody switches away, focuses or reloads.
//
// Blocking direct connections: Chromium's --force-webrtc-ip-handling-policy=
// disable_non_proxied_udp does not stop two browsers on one machine from connecting (they
// still do, over loopback), so Bob's peer connections are made relay-only instead
// (iceTransportPolicy "relay") while the relay hands out no TURN server: like a phone behind
// a symmetric NAT in a group without TURN, ICE finds no usable pair and never connects.
import { type Browser, expect, test } from '@playwright/test';
import {
  createGroup,
  inviteLink,
  join,
  type Member,
  newMember,
  openThread,
  reply,
  startThread,
  syncStatus,
} from './helpers.ts';

/** A member whose browser can make no direct WebRTC connection at all. */
async function memberWithoutDirectConnections(browser: Browser, name: string): Promise<Member> {
  const context = await browser.newContext();
  await context.addInitScript(() => {
    const Native = window.RTCPeerConnection;
    class RelayOnly extends Native {
      constructor(config?: RTCConfiguration) {
        super({ ...config, iceTransportPolicy: 'relay' });
      }
    }
    window.RTCPeerConnection = RelayOnly;
  });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`[${name}] page error: ${e.message}`));
  await page.goto('/');
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Your groups' })).toBeVisible();
  return { name, context, page };
}

test('a reply reaches an open member through the relay alone, without focus or reload', async ({
  browser,
}) => {
  const stamp = Date.now().toString(36);
  const group = `Allotment ${stamp}`;
  const a = await newMember(browser, 'Alice');
  const b = await memberWithoutDirectConnections(browser, 'Bob');
  // What reaches Bob's page on its signaling socket.
  const noticesAtBob: string[] = [];
  b.page.on('websocket', (ws) => {
    ws.on('framereceived', ({ payload }) => {
      if (typeof payload === 'string' && payload.includes('"hearth-mailbox"')) {
        noticesAtBob.push(payload);
      }
    });
  });
  await createGroup(a, group);
  await join(b, await inviteLink(a), group, 'Alice');

  const title = `Seeds to order ${stamp}`;
  await startThread(a, title, `Who orders the seeds? ${stamp}`);
  await openThread(b, title);

  await reply(a, `I will, on Friday ${stamp}`);
  await expect(b.page.getByText(`I will, on Friday ${stamp}`)).toBeVisible();
  await reply(b, `Thanks, add leeks ${stamp}`);
  await expect(a.page.getByText(`Thanks, add leeks ${stamp}`)).toBeVisible();

  // It came through the relay: nobody is live, and Bob's page was told by a notice that
  // carries no content.
  for (const m of [a, b]) await expect(syncStatus(m)).toHaveAttribute('data-live', '0');
  expect(noticesAtBob.length).toBeGreaterThan(0);
  for (const frame of noticesAtBob) {
    expect(Object.keys(JSON.parse(frame) as object).sort()).toEqual(['seq', 'topic', 'type']);
  }
  await a.context.close();
  await b.context.close();
});
