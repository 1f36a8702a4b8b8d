// The account journey of the foundation: an admin signs in, adds a finance user and signs
// out; the finance user signs in and is refused the admin page with a 403 that says why.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { ADMIN, hydrated, launchBrowser, signIn, startWarden, watchErrors } from '../lib/warden.mjs';

const FINANCE = { email: 'fin@e2e.test', password: 'finance password 1' };
const shots = new URL('../screenshots/', import.meta.url).pathname;
let warden;
let browser;

before(async () => {
  mkdirSync(shots, { recursive: true });
  warden = await startWarden();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await warden?.stop();
});

test('the login page hydrates: the show-password toggle works', async () => {
  const page = await browser.newPage();
  const errors = watchErrors(page);
  await page.goto(`${warden.url}/login`);
  await hydrated(page);
  await page.fill('#password', 'secret');
  assert.equal(await page.getAttribute('#password', 'type'), 'password');
  await page.click('button[aria-controls="password"]');
  assert.equal(await page.getAttribute('#password', 'type'), 'text');
  await page.click('button[aria-controls="password"]');
  assert.equal(await page.getAttribute('#password', 'type'), 'password');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a wrong password is refused with a message and no session', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${warden.url}/login`);
  await hydrated(page);
  await page.fill('#email', ADMIN.email);
  await page.fill('#password', 'not the password');
  await Promise.all([page.waitForURL(/error=invalid/), page.click('button[type=submit]')]);
  await page.waitForSelector('text=Wrong e-mail or password.');
  const cookies = await context.cookies();
  assert.equal(cookies.filter((c) => c.name === 'warden_session').length, 0);
  await context.close();
});

test('an admin adds a finance user, who is then refused the admin page', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page, [403]);

  // Visitors are sent to sign in and brought back afterwards.
  await page.goto(`${warden.url}/admin/users`);
  assert.match(page.url(), /\/login\?next=\/admin\/users$/);
  await signIn(page, warden.url, ADMIN);
  assert.equal(new URL(page.url()).pathname, '/admin/users');
  await hydrated(page);

  const session = (await context.cookies()).find((c) => c.name === 'warden_session');
  assert.ok(session, 'a session cookie is set');
  assert.equal(session.httpOnly, true);
  assert.equal(session.sameSite, 'Lax');

  await page.fill('#new-email', FINANCE.email);
  await page.fill('#new-password', FINANCE.password);
  await page.check('#new-role-finance');
  await page.click('button:has-text("Add user")');
  const row = page.locator(`tr[data-email="${FINANCE.email}"]`);
  await row.waitFor();
  assert.match(await row.innerText(), /Finance/);
  assert.match(await row.innerText(), /Active/);
  await page.waitForSelector(`text=Added ${FINANCE.email}.`);
  await page.screenshot({ path: `${shots}/admin-users.png`, fullPage: true });

  await Promise.all([page.waitForURL(/status=signed_out/), page.click('button:has-text("Sign out")')]);
  await page.waitForSelector('text=You have signed out.');

  await signIn(page, warden.url, FINANCE);
  assert.equal(new URL(page.url()).pathname, '/');
  await hydrated(page);
  const nav = await page.locator('nav[aria-label="Main"]').innerText();
  assert.doesNotMatch(nav, /Users/);
  assert.match(nav, /Account/);

  const response = await page.goto(`${warden.url}/admin/users`);
  assert.equal(response.status(), 403);
  await page.waitForSelector('text=403 · Not for your roles');
  await page.waitForSelector('text=Your roles: Finance.');
  await page.screenshot({ path: `${shots}/finance-refused.png`, fullPage: true });

  assert.deepEqual(errors, []);
  await context.close();
});
