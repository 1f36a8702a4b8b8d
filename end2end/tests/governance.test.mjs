// An HR screening agent instrumented with the OpenTelemetry Python SDK writes an answer that
// guesses the candidate's gender and age: the violations show on the Violations page, the
// filter narrows them, and the Policies page shows where each rule of the agent comes from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADMIN, createIngestKey, hydrated, openSignedIn, sendWithPythonSdk, useWarden,
} from '../lib/warden.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;
const env = useWarden();

test('an inference in an HR answer is a violation on the Violations page; the Policies page explains it', async () => {
  const { page, errors } = await openSignedIn(env, ADMIN, '/admin/keys');
  const secret = await createIngestKey(page, 'hr e2e', 'hr-screening-agent');
  const traceId = sendWithPythonSdk(env.warden.url, secret, 'hr-screening-agent', {
    E2E_ANSWER: 'Solid CV for the analyst role. The candidate is probably a woman in her fifties.',
  });

  await page.goto(`${env.warden.url}/violations?agent=hr-screening-agent`);
  await hydrated(page);
  const rows = page.locator('table.violations tbody tr');
  await rows.first().waitFor();
  const rules = await page.locator('table.violations tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.rule));
  assert.ok(rules.includes('no_gender_inference'), rules.join());
  assert.ok(rules.includes('no_age_inference'), rules.join());
  assert.ok(!rules.includes('no_ethnicity_inference'), rules.join());
  const gender = page.locator('tr[data-rule="no_gender_inference"]');
  assert.equal(await gender.count(), 1, 'one violation per rule and trace');
  const text = await gender.textContent();
  assert.ok(text.includes('probably a woman'), text);
  assert.ok(text.includes('hr_screening_agent'), 'the level that set the rule');
  assert.ok(text.includes('critical'), text);
  await page.screenshot({ path: `${shots}violations.png`, fullPage: true });

  // The rule filter, submitted as a person would.
  await page.selectOption('select[name="rule"]', 'no_age_inference');
  await page.click('form.filters button[type="submit"]');
  await page.waitForURL(/rule=no_age_inference/);
  await hydrated(page);
  await page.locator('tr[data-rule="no_age_inference"]').waitFor();
  const filtered = await page.locator('table.violations tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.rule));
  assert.deepEqual([...new Set(filtered)], ['no_age_inference']);

  // The trace behind it.
  await page.locator('tr[data-rule="no_age_inference"] a').click();
  await page.waitForURL(`**/traces/${traceId}`);
  await hydrated(page);
  assert.ok((await page.locator('main').textContent()).includes('violation'));

  // Why the agent is held to these rules.
  await page.goto(`${env.warden.url}/policies?agent=hr-screening-agent`);
  await hydrated(page);
  await page.locator('table.effective-policy').waitFor();
  assert.equal(await page.locator('table.effective-policy tbody tr').count(), 15);
  const from = async (rule) => (await page.locator(`tr[data-rule="${rule}"] td.from`).textContent()).trim();
  assert.equal(await from('no_age_inference'), 'hr_screening_agent');
  assert.equal(await from('max_response_time'), 'customer_facing');
  assert.equal(await from('no_pii_in_outputs'), 'global');
  const levels = await page.locator('li.policy-level').evaluateAll((lis) => lis.map((li) => li.dataset.level));
  assert.deepEqual(levels, ['global', 'customer_facing', 'high_risk', 'hr_screening_agent']);
  await page.screenshot({ path: `${shots}policies.png`, fullPage: true });
  assert.deepEqual(errors, []);
});
