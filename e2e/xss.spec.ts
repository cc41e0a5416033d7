// Hostile markdown in a real browser: A posts every entry of the shared XSS corpus (as
// replies, in a post's body and in titles) and B reads them. Nothing may run, load from
// elsewhere or reach the DOM as a live element: no dialog, no trap tripped, no request off
// 127.0.0.1, no script/iframe/img/svg, no on* attribute, no javascript: link, no CSP report.
import { expect, type Page, test } from '@playwright/test';
import { findUnsafeHtml, XSS_CORPUS } from '../app/core/text/xssCorpus.ts';
import { DEFAULT_SIZES } from '../app/ui/components/renderWindow.ts';
import {
  createGroup,
  inviteLink,
  join,
  type Member,
  newMember,
  openGroup,
  startThread,
  writePost,
} from './helpers.ts';

/** Replies per thread: each thread with its opening message fits the first rendered window. */
const PER_THREAD = DEFAULT_SIZES.initial - 1;

interface Watch {
  dialogs: string[];
  offHost: string[];
}

/** Traps the page: calls to alert & co. set window.__xss; CSP reports land in window.__csp. */
async function watch(m: Member, allowData: boolean): Promise<Watch> {
  const w: Watch = { dialogs: [], offHost: [] };
  m.page.on('dialog', (d) => {
    w.dialogs.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  m.page.on('request', (r) => {
    const url = r.url();
    if (/^(?:https?|wss?):\/\/127\.0\.0\.1[:/]/.test(url)) return;
    if (allowData && url.startsWith('data:')) return;
    w.offHost.push(url);
  });
  await m.context.addInitScript(() => {
    const win = window as unknown as Record<string, unknown>;
    win.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => {
      const where =
        e.target instanceof Element ? e.target.outerHTML.slice(0, 160) : String(e.sourceFile);
      (win.__csp as string[]).push(
        `${e.violatedDirective} ${e.blockedURI} ${e.sample} at ${where}`,
      );
    });
    for (const name of ['alert', 'confirm', 'prompt', 'print', 'open']) {
      const original = win[name];
      Object.defineProperty(window, name, {
        configurable: true,
        get() {
          win.__xss = name;
          return original;
        },
      });
    }
  });
  // The trap applies from the next document on.
  await m.page.reload();
  await expect(m.page.getByRole('heading', { name: 'Your groups' })).toBeVisible();
  return w;
}

/** Problems in what `main` shows: live elements, handlers, script URLs, unsafe markdown HTML. */
async function domProblems(page: Page): Promise<string[]> {
  const found = await page.evaluate(() => {
    const problems: string[] = [];
    const main = document.querySelector('main');
    if (!main) return { problems: ['no main element'], html: [] as string[] };
    const banned = ['script', 'iframe', 'object', 'embed', 'frame', 'base', 'meta', 'link'];
    const bannedInMarkdown = [...banned, 'img', 'svg', 'math', 'style', 'form', 'input'];
    for (const el of main.querySelectorAll('*')) {
      const tag = el.tagName.toLowerCase();
      const inMarkdown = el.closest('.markdown') !== null;
      if ((inMarkdown ? bannedInMarkdown : banned).includes(tag)) problems.push(`<${tag}>`);
      for (const attr of Array.from(el.attributes)) {
        if (/^on/i.test(attr.name)) problems.push(`${attr.name} on <${tag}>`);
        if (/(?:^|:)(?:href|src|action|formaction|data|srcdoc)$/i.test(attr.name)) {
          if (/^\s*(?:javascript|vbscript|data):/i.test(attr.value)) {
            problems.push(`${attr.name}=${attr.value} on <${tag}>`);
          }
        }
      }
    }
    for (const s of document.querySelectorAll('script')) {
      if (!s.src.startsWith(`${location.origin}/`)) problems.push(`script ${s.outerHTML}`);
    }
    const html = [...main.querySelectorAll('.markdown')].map((e) => e.innerHTML);
    return { problems, html };
  });
  return [...found.problems, ...found.html.flatMap((h) => findUnsafeHtml(h))];
}

async function expectClean(m: Member, w: Watch): Promise<void> {
  expect(await domProblems(m.page), `unsafe DOM for ${m.name}`).toEqual([]);
  const state = await m.page.evaluate(() => {
    const win = window as unknown as { __xss?: unknown; __csp?: string[] };
    return { xss: win.__xss, csp: win.__csp ?? [] };
  });
  expect(state.xss, `a payload reached window.${String(state.xss)}`).toBeUndefined();
  // The app itself never needs an exception to its CSP, so any report fails the test.
  expect(state.csp, 'Content-Security-Policy violations').toEqual([]);
  expect(w.dialogs, 'dialogs').toEqual([]);
  expect(w.offHost, 'requests that left 127.0.0.1').toEqual([]);
}

/** Waits until every item on screen is rendered by the markdown renderer, not as plain text. */
async function expectRendered(page: Page, items: number): Promise<void> {
  await expect(page.locator('main article.item-card')).toHaveCount(items);
  await expect(page.locator('main .markdown.plain')).toHaveCount(0);
}

test('every XSS corpus entry renders inert for the reader', async ({ browser }) => {
  test.setTimeout(420_000);
  const stamp = Date.now().toString(36);
  const groupName = `Safety ${stamp}`;
  const a = await newMember(browser, 'Alice');
  const b = await newMember(browser, 'Bob');
  const wa = await watch(a, true); // A's invite screen draws its QR code from a data: URL
  const wb = await watch(b, false);

  await createGroup(a, groupName);
  const link = await inviteLink(a);
  await join(b, link, groupName, 'Alice');

  const chunks: string[][] = [];
  for (let i = 0; i < XSS_CORPUS.length; i += PER_THREAD) {
    chunks.push(XSS_CORPUS.slice(i, i + PER_THREAD));
  }
  const titles = chunks.map((_, i) => `<img src=x onerror=alert(1)> part ${i + 1} ${stamp}`);

  // A posts every entry as a reply, a thread at a time (each fits one rendered window).
  for (const [i, chunk] of chunks.entries()) {
    await openGroup(a, groupName);
    await startThread(a, titles[i]!, '<svg onload=alert(1)>');
    const field = a.page.getByLabel('Reply', { exact: true });
    for (const payload of chunk) {
      await field.fill(payload);
      await a.page.getByRole('button', { name: 'Send' }).click();
      await expect(field).toHaveValue('');
    }
    await expectRendered(a.page, chunk.length + 1);
    await expectClean(a, wa);
  }
  const postTitle = `<script>alert(1)</script> every payload ${stamp}`;
  await openGroup(a, groupName);
  await writePost(a, postTitle, XSS_CORPUS.join('\n\n'));
  await expectRendered(a.page, 1);
  await expectClean(a, wa);

  // B reads each thread and the post.
  for (const [i, chunk] of chunks.entries()) {
    await openGroup(b, groupName, titles[i]!);
    await expect(b.page.getByRole('heading', { level: 2, name: titles[i]! })).toHaveText(
      titles[i]!,
    );
    await expectRendered(b.page, chunk.length + 1);
    await expectClean(b, wb);
  }
  await expect(
    b.page.locator('main').getByText('<script>alert(1)</script>').first(),
  ).toBeAttached();
  await b.page.goto('/#/');
  await expect(b.page.getByRole('list', { name: 'Recent activity' })).toBeVisible();
  await openGroup(b, groupName);
  await b.page
    .getByRole('navigation', { name: 'Group sections' })
    .getByRole('link', { name: /^Posts/ })
    .click();
  await b.page.getByRole('link', { name: /every payload/ }).click();
  await expect(b.page.getByRole('heading', { level: 2, name: postTitle })).toHaveText(postTitle);
  await expectRendered(b.page, 1);
  await expectClean(b, wb);
  // Home, with every title in its activity feed.
  await b.page.goto('/#/');
  await expect(
    b.page.getByRole('list', { name: 'Recent activity' }).getByRole('link'),
  ).not.toHaveCount(0);
  await expectClean(b, wb);

  for (const m of [a, b]) await m.context.close();
});
