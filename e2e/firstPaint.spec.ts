// The first screen is painted by boot.ts from the rows it read ahead, before the app's main
// chunk has arrived (app/ui/firstPaint.ts): the welcome words on a first visit, Home's group
// list for a member coming back. The main chunk is held back here to see that paint alone, then
// let through: the app replaces it in place, with one list and everything Home adds.
import { type BrowserContext, expect, type Page, test } from '@playwright/test';
import { createGroup } from './helpers.ts';

const MAIN_CHUNK = /\/assets\/main-[^/]+\.js$/;

/**
 * A gate on every request for the main chunk: `hold()` closes it until the function it returns
 * is called. One route for the whole test (removing a route with requests held in it would
 * answer them behind the test's back).
 */
async function mainChunkGate(context: BrowserContext): Promise<() => () => void> {
  let gate: Promise<void> = Promise.resolve();
  await context.route(MAIN_CHUNK, async (route) => {
    await gate;
    await route.continue();
  });
  return () => {
    let open = () => {};
    gate = new Promise<void>((r) => {
      open = r;
    });
    return open;
  };
}

const groupsList = (page: Page) => page.getByRole('list', { name: 'Your groups' });

test('boot paints the first screen from local rows; the app takes it over in place', async ({
  browser,
}) => {
  const stamp = Date.now().toString(36);
  const groupName = `Allotment ${stamp}`;
  // No service worker, so that every request for the main chunk passes the route above.
  const context = await browser.newContext({ serviceWorkers: 'block' });
  const page = await context.newPage();
  page.on('pageerror', (e) => console.log(`page error: ${e.message}`));
  const hold = await mainChunkGate(context);

  // A first visit: the welcome words, with no form until the app has loaded.
  // The main chunk is one of the page's scripts: the load event waits for it, so the
  // navigations below wait only for the page to start.
  let release = hold();
  await page.goto('/', { waitUntil: 'commit' });
  await expect(page.getByRole('heading', { level: 1, name: 'Welcome to Hearth' })).toBeVisible();
  await expect(page.getByText(/A private place for your group/)).toBeVisible();
  await expect(page.getByLabel('Your name')).toHaveCount(0);
  release();
  await page.getByLabel('Your name').fill('Alice');
  await expect(page.getByRole('heading', { name: 'Welcome to Hearth' })).toHaveCount(1);
  await page.getByRole('button', { name: 'Continue' }).click();
  await createGroup({ name: 'Alice', context, page }, groupName);

  // Coming back: the group list at once, as a working link, before any of the app has run.
  release = hold();
  await page.goto('/', { waitUntil: 'commit' });
  await expect(groupsList(page).getByRole('link', { name: groupName })).toBeVisible();
  await expect(page.getByRole('link', { name: 'New group' })).toHaveCount(0);
  release();
  await expect(page.getByRole('link', { name: 'New group' })).toBeVisible();
  await expect(groupsList(page)).toHaveCount(1);
  await expect(groupsList(page).getByRole('listitem')).toHaveCount(1);
  await groupsList(page).getByRole('link', { name: groupName }).click();
  await expect(page.getByRole('heading', { level: 1, name: groupName })).toBeVisible();

  // Any other screen is left to the app.
  release = hold();
  await page.reload({ waitUntil: 'commit' });
  // Once boot has its rows (and a frame has passed), it has decided: nothing to paint.
  await page.waitForFunction(
    () => performance.getEntriesByName('hearth:idb-readahead-done').length > 0,
  );
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 50))));
  await expect(page.locator('#root')).toBeEmpty();
  release();
  await expect(page.getByRole('heading', { level: 1, name: groupName })).toBeVisible();
  await context.close();
});
