// Shared steps for the end-to-end specs: each member is a separate browser context (its own
// IndexedDB, no BroadcastChannel shortcut), driven the way a person would, by role and name.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import {
  type APIRequestContext,
  type Browser,
  type BrowserContext,
  chromium,
  expect,
  type Locator,
  type Page,
} from '@playwright/test';
import { HttpInviteRelay } from '../app/adapters/HttpInviteRelay.ts';
import { deriveEpochKeys } from '../app/core/crypto/keys.ts';
import { open as openSealed } from '../app/core/crypto/sealed.ts';
import { resolveInvite } from '../app/core/invite/Invites.ts';
import type { Invite } from '../app/core/invite/invite.ts';
import { parseWriteEnvelope } from '../relay/envelope.ts';
import { chromiumArgs } from '../scripts/chromium.mjs';

export interface Member {
  name: string;
  context: BrowserContext;
  page: Page;
}

export async function newMember(browser: Browser, name: string, baseURL?: string): Promise<Member> {
  const context = await browser.newContext(baseURL ? { baseURL } : {});
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`[${name}] page error: ${e.message}`));
  await page.goto('/');
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.getByRole('heading', { name: 'Your groups' })).toBeVisible();
  return { name, context, page };
}

export async function createGroup(m: Member, groupName: string): Promise<void> {
  await m.page.getByRole('link', { name: 'New group' }).click();
  await m.page.getByLabel('Group name').fill(groupName);
  await m.page.getByRole('button', { name: 'Create group' }).click();
  await expect(m.page.getByRole('heading', { level: 1, name: groupName })).toBeVisible();
}

/**
 * Makes an invitation from the group's Invite screen (7 days, any number of uses unless told
 * otherwise) and returns its short link; ends back on the screen it started from.
 */
export async function inviteLink(
  m: Member,
  options: { lasts?: '7 days' | '1 day' | '1 hour'; uses?: string } = {},
): Promise<string> {
  await m.page.getByRole('link', { name: 'Invite' }).click();
  if (options.lasts) await m.page.getByLabel('The link works for').selectOption(options.lasts);
  if (options.uses) await m.page.getByLabel('It can be opened').selectOption(options.uses);
  await m.page.getByRole('button', { name: 'Create invite link' }).click();
  const field = m.page.getByLabel('Invite link');
  await expect(field).toHaveValue(/#\/join\//);
  const link = await field.inputValue();
  await m.page.goBack();
  return link;
}

/**
 * What an invite link holds, as a joining device reads it: a short link's capsule is fetched
 * from the relay (counting one use) and opened. `relayUrl` defaults to the link's origin.
 */
export async function inviteOf(link: string, relayUrl?: string): Promise<Invite> {
  const base = relayUrl ?? new URL(link).origin;
  const resolved = await resolveInvite(link, {
    relayFor: (url) => new HttpInviteRelay({ relayUrl: url }),
    defaultRelay: `${base.replace(/^http/, 'ws')}/signal`,
  });
  return resolved.invite;
}

export async function join(
  m: Member,
  link: string,
  groupName: string,
  inviter: string,
): Promise<void> {
  const path = link.slice(link.indexOf('#'));
  await m.page.goto(`/${path}`);
  await expect(m.page.getByRole('heading', { name: `Join ${groupName}?` })).toBeVisible();
  await expect(m.page.getByText(`${inviter} invited you`)).toBeVisible();
  await m.page.getByRole('button', { name: 'Join group' }).click();
  await expect(m.page.getByRole('heading', { level: 1, name: groupName })).toBeVisible();
  expect(m.page.url()).not.toContain('#/join/');
}

export async function startThread(m: Member, title: string, body: string): Promise<void> {
  await m.page.getByRole('link', { name: 'New thread' }).click();
  await m.page.getByLabel('Title').fill(title);
  await m.page.getByLabel('Message').fill(body);
  await m.page.getByRole('button', { name: 'Start thread' }).click();
  await expect(m.page.getByRole('heading', { name: title })).toBeVisible();
}

export async function reply(m: Member, body: string): Promise<void> {
  await m.page.getByLabel('Reply', { exact: true }).fill(body);
  await m.page.getByRole('button', { name: 'Send' }).click();
  await expect(m.page.getByText(body)).toBeVisible();
}

/** Every record of every IndexedDB database of the page, flattened to searchable text. */
export async function rawIndexedDb(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const out: string[] = [];
    const dump = (v: unknown): void => {
      if (v instanceof Uint8Array || v instanceof ArrayBuffer) {
        const bytes = v instanceof Uint8Array ? v : new Uint8Array(v);
        out.push(new TextDecoder('latin1').decode(bytes));
      } else if (Array.isArray(v)) v.forEach(dump);
      else if (v && typeof v === 'object') Object.values(v).forEach(dump);
      else out.push(String(v));
    };
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise<IDBDatabase>((res, rej) => {
        const r = indexedDB.open(info.name as string);
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
      for (const storeName of Array.from(db.objectStoreNames)) {
        const all = await new Promise<unknown[]>((res, rej) => {
          const r = db.transaction(storeName).objectStore(storeName).getAll();
          r.onsuccess = () => res(r.result);
          r.onerror = () => rej(r.error);
        });
        all.forEach(dump);
      }
      db.close();
    }
    return out.join('\n');
  });
}

/** What the relay received (signaling frames and mailbox bodies), from its test-only tap. */
export async function relayReceived(page: Page): Promise<string> {
  const res = await page.request.get('/__test/received');
  expect(res.ok()).toBe(true);
  const frames = (await res.json()) as string[];
  return frames.join('\n');
}

/** A member whose browser profile lives in a folder, so it can be closed and opened again. */
export interface Device extends Member {
  readonly dir: string;
  readonly baseURL: string;
}

/**
 * Opens (or reopens) the browser profile in `dir`, the way a person reopens their browser.
 * `offline` opens it with no network at all: besides Playwright's offline emulation (which
 * ends while the browser shuts down, letting a last upload slip out), every request goes to
 * a dead proxy, loopback included.
 */
export async function openDevice(
  name: string,
  dir: string,
  baseURL: string,
  options: { offline?: boolean } = {},
): Promise<Device> {
  const noNetwork = ['--proxy-server=http://127.0.0.1:9', '--proxy-bypass-list=<-loopback>'];
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium',
    args: options.offline ? [...chromiumArgs, ...noNetwork] : chromiumArgs,
    baseURL,
    viewport: { width: 390, height: 800 },
    offline: options.offline ?? false,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => console.log(`[${name}] page error: ${e.message}`));
  return { name, context, page, dir, baseURL };
}

/** A first visit on a fresh browser profile, up to the list of groups. */
export async function newDevice(name: string, baseURL: string): Promise<Device> {
  const device = await openDevice(
    name,
    mkdtempSync(joinPath(tmpdir(), 'hearth-e2e-profile-')),
    baseURL,
  );
  await device.page.goto('/');
  await device.page.getByLabel('Your name').fill(name);
  await device.page.getByRole('button', { name: 'Continue' }).click();
  await expect(device.page.getByRole('heading', { name: 'Your groups' })).toBeVisible();
  return device;
}

/** Opens a group from the list of groups, then optionally one of its threads. */
export async function openGroup(m: Member, groupName: string, threadTitle?: string): Promise<void> {
  await m.page.goto('/');
  await m.page.getByRole('link', { name: new RegExp(escapeRegExp(groupName)) }).click();
  await expect(m.page.getByRole('heading', { level: 1, name: groupName })).toBeVisible();
  if (threadTitle === undefined) return;
  await m.page.getByRole('link', { name: new RegExp(escapeRegExp(threadTitle)) }).click();
  await expect(m.page.getByRole('heading', { name: threadTitle })).toBeVisible();
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The group's sync status line (role=status), with its data-state/-pending/-relay/-live. */
export function syncStatus(m: Member): Locator {
  return m.page.getByTestId('sync-status');
}

/** Waits until the relay has acknowledged everything and answered the latest pull. */
export async function expectUploaded(m: Member): Promise<void> {
  const status = syncStatus(m);
  await expect(status).toHaveAttribute('data-pending', '0');
  await expect(status).toHaveAttribute('data-relay', 'reachable');
  await expect(status).not.toContainText('waiting');
}

export interface MailboxWrite {
  /** The whole request body, as the relay received it. */
  readonly body: Uint8Array;
  /** 1 = update, 2 = snapshot. */
  readonly kind: number;
  readonly sealed: Uint8Array;
  /** The payload opened with the group's key, or null when another group's key sealed it. */
  readonly opened: Uint8Array | null;
}

/**
 * Every mailbox write the relay received (from its test tap), decoded from the envelope,
 * with its payload opened by the group key from the invite link. Signaling frames are skipped.
 */
export async function mailboxWrites(
  request: APIRequestContext,
  relayUrl: string,
  inviteLink: string,
): Promise<MailboxWrite[]> {
  const res = await request.get(`${relayUrl}/__test/received`);
  expect(res.ok()).toBe(true);
  const storeKey = deriveEpochKeys((await inviteOf(inviteLink, relayUrl)).groupKey).storeKey;
  const out: MailboxWrite[] = [];
  for (const item of (await res.json()) as string[]) {
    if (item.startsWith('{')) continue; // a signaling frame (JSON text)
    const body = new Uint8Array(Buffer.from(item, 'base64'));
    const envelope = parseWriteEnvelope(body);
    let opened: Uint8Array | null = null;
    try {
      opened = openSealed(storeKey, envelope.payload);
    } catch {
      // sealed under another group's key
    }
    out.push({ body, kind: envelope.kind, sealed: envelope.payload, opened });
  }
  return out;
}

/** Bytes as latin1 text, so plain UTF-8 strings inside them can be searched for. */
export const bytesText = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

/** Opens one of a group's sections from the bottom tab bar (its name may carry a count). */
export async function openTab(m: Member, tab: 'Discuss' | 'Posts' | 'Members'): Promise<void> {
  await m.page
    .getByRole('navigation', { name: 'Group sections' })
    .getByRole('link', { name: new RegExp(`^${tab}`) })
    .click();
  await expect(
    m.page
      .getByRole('navigation', { name: 'Group sections' })
      .getByRole('link', { name: new RegExp(`^${tab}`) }),
  ).toHaveAttribute('aria-current', 'page');
}

/** Writes and publishes a post from the group's Posts tab; ends on the post's page. */
export async function writePost(m: Member, title: string, body: string): Promise<void> {
  await openTab(m, 'Posts');
  await m.page.getByRole('link', { name: 'New post' }).click();
  await m.page.getByLabel('Title').fill(title);
  await m.page.getByLabel('Body').fill(body);
  await m.page.getByRole('button', { name: 'Publish' }).click();
  await expect(m.page.getByRole('heading', { level: 2, name: title })).toBeVisible();
}

/** Comments on the post that is open. */
export async function comment(m: Member, body: string): Promise<void> {
  await m.page.getByLabel('Comment', { exact: true }).fill(body);
  await m.page.getByRole('button', { name: 'Send' }).click();
  await expect(m.page.getByRole('list', { name: 'Comments' }).getByText(body)).toBeVisible();
}

/** Like newMember, for a relay other than the shared one (e.g. one the test restarts). */
export function newMemberAt(browser: Browser, name: string, baseURL: string): Promise<Member> {
  return newMember(browser, name, baseURL);
}

/** Signaling frames the relay received, parsed (from its test tap). */
export async function signalingFrames(
  request: APIRequestContext,
  relayUrl: string,
): Promise<{ type?: unknown; topics?: unknown }[]> {
  const res = await request.get(`${relayUrl}/__test/received`);
  expect(res.ok()).toBe(true);
  const frames: { type?: unknown; topics?: unknown }[] = [];
  for (const item of (await res.json()) as string[]) {
    if (!item.startsWith('{')) continue;
    try {
      frames.push(JSON.parse(item) as { type?: unknown });
    } catch {
      // a frame the relay refused as unreadable
    }
  }
  return frames;
}

/** Three members in one new group: the first creates it, the other two join by its link. */
export async function threeMembers(
  browser: Browser,
  groupName: string,
  names: readonly [string, string, string] = ['Alice', 'Bob', 'Carol'],
): Promise<[Member, Member, Member]> {
  const a = await newMember(browser, names[0]);
  const b = await newMember(browser, names[1]);
  const c = await newMember(browser, names[2]);
  await createGroup(a, groupName);
  const link = await inviteLink(a);
  await join(b, link, groupName, names[0]);
  await join(c, link, groupName, names[0]);
  return [a, b, c];
}

/** Opens a thread from the group's thread list, once it has arrived on this device. */
export async function openThread(m: Member, title: string): Promise<void> {
  await m.page.getByRole('link', { name: new RegExp(title) }).click();
  await expect(m.page.getByRole('heading', { level: 2, name: title })).toBeVisible();
}

/** The card of an item (kind "Message" for a thread's opening, "Reply"), found by its text. */
export function itemCard(m: Member, kind: string, author: string, text: string) {
  return m.page
    .getByRole('article', { name: new RegExp(`^${kind} by ${author}\\b`) })
    .filter({ hasText: text });
}

/** Every row of the app's IndexedDB store, with its key and its bytes (base64). */
export async function idbRows(page: Page): Promise<{ key: string[]; data: string }[]> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((res, rej) => {
      const r = indexedDB.open('hearth');
      r.onsuccess = () => res(r.result);
      r.onerror = () => rej(r.error);
    });
    const tx = db.transaction('kv');
    const store = tx.objectStore('kv');
    const [keys, values] = await Promise.all(
      [store.getAllKeys(), store.getAll()].map(
        (r) =>
          new Promise<unknown[]>((res, rej) => {
            r.onsuccess = () => res(r.result as unknown[]);
            r.onerror = () => rej(r.error);
          }),
      ),
    );
    db.close();
    return (keys ?? []).map((key, i) => {
      const v = values?.[i];
      const bytes = v instanceof Uint8Array ? v : new Uint8Array(v as ArrayBuffer);
      let bin = '';
      for (const b of bytes) bin += String.fromCharCode(b);
      return { key: key as string[], data: btoa(bin) };
    });
  });
}
