// The kill switch: an admin pulls it on the Agents page, confirming with a reason, and the
// agent's next guard call is refused within a second; releasing it lets the agent answer.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADMIN, askGuard, createIngestKey, hydrated, openSignedIn, pullSwitch, refusedWithinASecond, sendWithPythonSdk, useWarden,
} from '../lib/warden.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;
const env = useWarden();

test('the kill switch pulled on the Agents page stops the guard within a second', async () => {
  const { page, errors } = await openSignedIn(env, ADMIN, '/admin/keys');
  const key = await createIngestKey(page, 'switch e2e', 'switch-agent');
  sendWithPythonSdk(env.warden.url, key, 'switch-agent');
  assert.equal((await askGuard(env.warden.url, key)).body.decision, 'allow');

  await page.goto(`${env.warden.url}/agents`);
  await hydrated(page);
  const badge = page.locator('tr[data-agent="switch-agent"] [data-control-state]');
  assert.equal(await badge.getAttribute('data-control-state'), 'running');

  // An empty reason is refused by the form itself.
  const row = page.locator('tr[data-agent="switch-agent"]');
  await row.locator('details.kill-switch summary').click();
  await row.locator('button:has-text("Confirm")').click();
  assert.equal(await row.locator('input[name="reason"]:invalid').count(), 1);
  assert.equal(await badge.getAttribute('data-control-state'), 'running');

  await pullSwitch(page, 'switch-agent', 'killed', 'answers leak order data');
  const { answer: refused, elapsed } = await refusedWithinASecond(env.warden.url, key, Date.now());
  assert.equal(refused.status, 423, JSON.stringify(refused));
  assert.ok(elapsed < 1000, 'refused within a second');
  assert.equal(refused.body.decision, 'block');
  assert.match(refused.body.message, /killed: answers leak order data/);
  await page.screenshot({ path: `${shots}kill-switch.png`, fullPage: true });

  await pullSwitch(page, 'switch-agent', 'running', 'fix deployed');
  const back = await askGuard(env.warden.url, key);
  assert.equal(back.status, 200);
  assert.equal(back.body.decision, 'allow');
  assert.deepEqual(errors, []);
});
