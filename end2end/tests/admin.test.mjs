// What an admin and a user do with accounts after the first sign-in: change roles, disable an
// account, make and revoke a personal API token; checked in the page and against the API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADMIN, hydrated, openSignedIn, signIn, useWarden, watchErrors,
} from '../lib/warden.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;
const env = useWarden();

async function addUser(page, email, password, roleIds) {
  await page.fill('#new-email', email);
  await page.fill('#new-password', password);
  for (const id of roleIds) await page.check(`#new-role-${id}`);
  await page.click('button:has-text("Add user")');
  await page.locator(`tr[data-email="${email}"]`).waitFor();
}

test('an admin changes roles and disables an account; the user is refused', async () => {
  const { context, page, errors } = await openSignedIn(env, ADMIN, '/admin/users', [400]);
  await addUser(page, 'oncall@e2e.test', 'on-call password 1', ['on_call']);

  const row = page.locator('tr[data-email="oncall@e2e.test"]');
  await row.locator('button:has-text("Edit roles")').click();
  await row.locator('label:has-text("Reviewer") input').check();
  await row.locator('button:has-text("Save roles")').click();
  await page.waitForSelector('text=Roles saved.');
  await page.locator('tr[data-email="oncall@e2e.test"] .role[data-role="reviewer"]').waitFor();

  await page.locator('tr[data-email="oncall@e2e.test"] button:has-text("Disable")').click();
  await page.waitForSelector('text=Account updated.');
  assert.match(await page.locator('tr[data-email="oncall@e2e.test"]').innerText(), /Disabled/);

  // The admin cannot lock themselves out.
  await page.locator(`tr[data-email="${ADMIN.email}"] button:has-text("Disable")`).click();
  await page.waitForSelector('text=you cannot disable your own account');

  const other = await env.browser.newContext();
  const userPage = await other.newPage();
  await userPage.goto(`${env.warden.url}/login`);
  await hydrated(userPage);
  await userPage.fill('#email', 'oncall@e2e.test');
  await userPage.fill('#password', 'on-call password 1');
  await Promise.all([userPage.waitForURL(/error=disabled/), userPage.click('button[type=submit]')]);
  await userPage.waitForSelector('text=This account is disabled.');
  assert.deepEqual(errors, []);
  await other.close();
  await context.close();
});

test('a user makes a token, uses it on the API, and revokes it', async () => {
  const { context, page, errors } = await openSignedIn(env, ADMIN, '/account');
  await page.fill('#token-name', 'e2e script');
  await page.click('button:has-text("Create token")');
  const secret = (await page.locator('[data-testid="new-token"]').innerText()).trim();
  assert.match(secret, /^wdn_[0-9a-f]{64}$/);
  await page.locator('td:has-text("e2e script")').waitFor();
  await page.screenshot({ path: `${shots}/account-token.png`, fullPage: true });

  const me = await fetch(`${env.warden.url}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
  assert.equal(me.status, 200);
  assert.equal((await me.json()).email, ADMIN.email);

  await page.click('button:has-text("Revoke")');
  await page.waitForSelector('text=Token revoked.');
  await page.locator('text=revoked').first().waitFor();
  const after = await fetch(`${env.warden.url}/api/v1/me`, { headers: { authorization: `Bearer ${secret}` } });
  assert.equal(after.status, 401);
  assert.deepEqual(errors, []);
  await context.close();
});

test('changing the password signs the user out everywhere and the new one works', async () => {
  const laptop = await env.browser.newContext();
  const phone = await env.browser.newContext();
  const page = await laptop.newPage();
  const other = await phone.newPage();
  const errors = watchErrors(page);
  const user = { email: 'pw@e2e.test', password: 'first password 1' };
  // The admin makes the account on the Users page.
  const admin = await env.browser.newContext();
  const adminPage = await admin.newPage();
  await adminPage.goto(`${env.warden.url}/login?next=/admin/users`);
  await signIn(adminPage, env.warden.url, ADMIN);
  await hydrated(adminPage);
  await addUser(adminPage, user.email, user.password, ['legal']);
  await admin.close();

  for (const p of [page, other]) {
    await p.goto(`${env.warden.url}/login?next=/account`);
    await signIn(p, env.warden.url, user);
  }
  await hydrated(page);
  await page.fill('#current-password', user.password);
  await page.fill('#new-password', 'second password 2');
  await Promise.all([page.waitForURL(/status=password_changed/), page.click('button:has-text("Change password")')]);
  await page.waitForSelector('text=Your password has changed.');
  const response = await other.goto(`${env.warden.url}/account`);
  assert.match(other.url(), /\/login\?error=expired/);
  assert.equal(response.status(), 200);
  await signIn(page, env.warden.url, { email: user.email, password: 'second password 2' });
  assert.equal(new URL(page.url()).pathname, '/');
  assert.deepEqual(errors, []);
  await laptop.close();
  await phone.close();
});
