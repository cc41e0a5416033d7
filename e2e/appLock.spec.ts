// The app lock: on, the browser's IndexedDB holds nothing readable (no group or member name,
// no key, no text, no group id); after a restart or "Lock now" the app asks for the
// passphrase, and unlocking brings everything back.
import { expect, test } from '@playwright/test';
import { createGroup, newMember, rawIndexedDb, startThread } from './helpers.ts';

const PASS = 'lanterns at midnight';

test('locking wraps everything at rest; unlocking brings it all back', async ({ browser }) => {
  const alice = await newMember(browser, 'Alice Quillfeather');
  const { page } = alice;
  await createGroup(alice, 'Lantern Society');
  const groupId = decodeURIComponent(/#\/g\/([^/]+)/.exec(page.url())?.[1] ?? '');
  expect(groupId).not.toBe('');
  await startThread(alice, 'Midnight ramble', 'Bring a torch and warm socks');
  const secrets = [
    'Alice Quillfeather',
    'Lantern Society',
    'Midnight ramble',
    'Bring a torch',
    groupId,
    'signingSeed',
    'groupKey',
  ];
  await page.goto('/#/settings');
  // Unlocked, names and keys are on disk in the clear: the check below can see them.
  await expect.poll(() => rawIndexedDb(page)).toContain('Lantern Society');

  // Settings has other passphrase fields (backups): work inside the App lock section.
  const lockSection = page.getByRole('region', { name: 'App lock' });
  await lockSection.getByLabel('Passphrase', { exact: true }).fill(PASS);
  await lockSection.getByLabel('Passphrase again').fill('lanterns at noon');
  await expect(lockSection.getByRole('alert')).toHaveText('The two passphrases differ.');
  await lockSection.getByLabel('Passphrase again').fill(PASS);
  await lockSection.getByLabel('Lock again after').selectOption({ label: '15 minutes' });
  await lockSection.getByRole('button', { name: 'Turn on the lock' }).click();
  await expect(lockSection.getByTestId('app-lock-on')).toBeVisible();

  // The running app keeps working and writes through the lock (a new page load would be a
  // restart, so this moves within the app).
  await page.getByRole('link', { name: 'Your groups' }).click();
  await page.getByRole('link', { name: /Lantern Society/ }).click();
  await startThread(alice, 'Second walk', 'Written after locking');

  await page.goto('/#/settings');
  await lockSection.getByRole('button', { name: 'Lock now' }).click();
  await expect(page.getByRole('heading', { name: 'Hearth is locked' })).toBeVisible();
  const dump = await rawIndexedDb(page);
  expect(dump.length).toBeGreaterThan(1000);
  for (const s of [...secrets, 'Second walk', 'Written after locking']) {
    expect(dump, s).not.toContain(s);
  }

  // A restart asks again; a wrong passphrase opens nothing.
  await page.reload();
  await page.getByLabel('Passphrase').fill('not the passphrase');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('not the one');
  await page.getByLabel('Passphrase').fill(PASS);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await page.getByRole('link', { name: 'Your groups' }).click();
  await page.getByRole('link', { name: /Lantern Society/ }).click();
  await expect(page.getByRole('link', { name: /Midnight ramble/ })).toBeVisible();
  await page.getByRole('link', { name: /Second walk/ }).click();
  await expect(page.getByText('Written after locking')).toBeVisible();

  // Off again: the passphrase is asked, and the data is plain on disk as before.
  await page.goto('/#/settings');
  await expect(lockSection.getByLabel('Lock again after')).toHaveValue('15');
  await lockSection.getByLabel('Passphrase, to turn the lock off').fill(PASS);
  await lockSection.getByRole('button', { name: 'Turn off the lock' }).click();
  await expect(lockSection.getByRole('button', { name: 'Turn on the lock' })).toBeVisible();
  expect(await rawIndexedDb(page)).toContain('Lantern Society');
  await page.reload();
  await page.getByRole('link', { name: 'Your groups' }).click();
  await expect(page.getByRole('link', { name: /Lantern Society/ })).toBeVisible();
  await alice.context.close();
});

// The device's screen lock through a passkey with PRF, on Chromium's virtual authenticator
// (DevTools protocol, one per page), and the idle timeout on Playwright's clock: one flow.
// WebAuthn refuses an IP address as the site's name, so this context opens the app as
// localhost (the same relay).
test('a passkey unlocks after a restart; idle past the chosen time locks again', async ({
  browser,
  baseURL,
}) => {
  const context = await browser.newContext({
    baseURL: (baseURL ?? '').replace('127.0.0.1', 'localhost'),
  });
  const page = await context.newPage();
  // The page's clock is Playwright's from the first load on; it runs as usual until moved on.
  await page.clock.install();
  const cdp = await context.newCDPSession(page);
  await cdp.send('WebAuthn.enable', { enableUI: false });
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      ctap2Version: 'ctap2_1',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      hasPrf: true,
      automaticPresenceSimulation: true,
    },
  });
  await page.goto('/');
  await page.getByLabel('Your name').fill('Ember Wildgrove');
  await page.getByRole('button', { name: 'Continue' }).click();
  const alice = { name: 'Ember Wildgrove', context, page };
  await createGroup(alice, 'Ember Circle');
  await startThread(alice, 'Kindling rota', 'Dry twigs by Friday');

  await page.goto('/#/settings');
  const lockSection = page.getByRole('region', { name: 'App lock' });
  await lockSection.getByLabel('Passphrase', { exact: true }).fill(PASS);
  await lockSection.getByLabel('Passphrase again').fill(PASS);
  await lockSection.getByLabel('Lock again after').selectOption({ label: '1 minute' });
  await lockSection.getByRole('button', { name: 'Turn on the lock' }).click();
  await expect(lockSection.getByTestId('app-lock-on')).toBeVisible();
  await lockSection.getByRole('button', { name: 'Also unlock with screen lock' }).click();
  await expect(lockSection.getByRole('alert')).toHaveText('');
  await expect(lockSection.getByTestId('app-lock-on')).toContainText('screen lock');

  // A restart: the passkey alone unlocks, and the profile holds no name in the clear.
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Hearth is locked' })).toBeVisible();
  for (const s of ['Ember Circle', 'Ember Wildgrove', 'Kindling rota']) {
    expect(await rawIndexedDb(page), s).not.toContain(s);
  }
  await page.getByRole('button', { name: 'Unlock with screen lock' }).click();
  await page.getByRole('link', { name: 'Your groups' }).click();
  await page.getByRole('link', { name: /Ember Circle/ }).click();
  await expect(page.getByRole('link', { name: /Kindling rota/ })).toBeVisible();
  expect(await rawIndexedDb(page)).not.toContain('Ember Circle');

  // Untouched past the minute chosen: the app locks itself and shows nothing of the group.
  await page.clock.runFor(90_000);
  await expect(page.getByRole('heading', { name: 'Hearth is locked' })).toBeVisible();
  await expect(page.getByText(/Ember Circle|Kindling rota/)).toHaveCount(0);
  await page.getByLabel('Passphrase').fill(PASS);
  await page.getByRole('button', { name: 'Unlock', exact: true }).click();
  await page.getByRole('link', { name: 'Your groups' }).click();
  await expect(page.getByRole('link', { name: /Ember Circle/ })).toBeVisible();
  await context.close();
});
