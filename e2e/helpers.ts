// Shared steps for the end-to-end specs: each member is a separate browser context (its own
// IndexedDB, no BroadcastChannel shortcut), driven the way a person would, by role and name.
import { type Browser, type BrowserContext, expect, type Page } from '@playwright/test';

export interface Member {
  name: string;
  context: BrowserContext;
  page: Page;
}

export async function newMember(browser: Browser, name: string): Promise<Member> {
  const context = await browser.newContext();
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

export async function inviteLink(m: Member): Promise<string> {
  await m.page.getByRole('link', { name: 'Invite' }).click();
  const link = await m.page.getByLabel('Invite link').inputValue();
  expect(link).toContain('#/join/');
  await m.page.goBack();
  return link;
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
