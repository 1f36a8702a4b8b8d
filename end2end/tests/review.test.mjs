// Dual review and the audit trail, as people use them: an admin proposes a stricter
// response time for high-risk agents on the Policies page; it needs two approvers besides
// the author, so the first reviewer's approval changes nothing and the second's puts it in
// force. Then the kill switch is pulled and the guard refuses the agent within a second.
// The Audit trail page shows both, with the chain intact, and so does the Compliance page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ADMIN, createIngestKey, hydrated, openSignedIn, pullSwitch, refusedWithinASecond, sendWithPythonSdk, useWarden,
} from '../lib/warden.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;
const env = useWarden();
const REVIEWERS = [
  { email: 'rev1@e2e.test', password: 'first reviewer pass 1' },
  { email: 'rev2@e2e.test', password: 'second reviewer pass 2' },
];
const AGENT = 'hr-screening-agent';

async function openAs(user, path, errors) {
  const opened = await openSignedIn(env, user, path);
  errors.push(opened.errors);
  return opened.page;
}

// The value and source level of the agent's max_response_time on the Policies page.
async function responseTimeRule(page) {
  await page.goto(`${env.warden.url}/policies?agent=${AGENT}`);
  await hydrated(page);
  const row = page.locator('tr[data-rule="max_response_time"]');
  return [await row.locator('td').nth(1).textContent(), await row.locator('td.from').textContent()];
}

async function approve(page, id) {
  await page.goto(`${env.warden.url}/policies`);
  await hydrated(page);
  const card = page.locator(`[data-proposal="${id}"]`);
  await card.locator('input[name="decision-note"]').fill('checked against the HR SLA');
  await card.locator('button:has-text("Approve")').click();
  await page.locator('p.note.ok:has-text("Decision recorded.")').waitFor();
  return card;
}

test('two reviewers approve a change, the kill switch stops the guard, the audit page shows both', async () => {
  const errors = [];
  for (const reviewer of REVIEWERS) env.warden.addUser(reviewer, 'reviewer');

  const admin = await openAs(ADMIN, '/admin/keys', errors);
  const key = await createIngestKey(admin, 'review e2e', AGENT);
  sendWithPythonSdk(env.warden.url, key, AGENT);
  assert.deepEqual(await responseTimeRule(admin), ['5000ms', 'customer_facing']);

  // The admin proposes: the policy file, edited in place.
  await admin.goto(`${env.warden.url}/policies`);
  await hydrated(admin);
  await admin.locator('[data-policy-version="1"]').waitFor();
  await admin.locator('details.propose summary').click();
  const textarea = admin.locator('textarea[name="document"]');
  const current = await textarea.inputValue();
  const marker = '      - audit_trail_retention: 5y\n';
  assert.ok(current.includes(marker), current);
  await textarea.fill(current.replace(marker, `${marker}      - max_response_time: 3000ms\n`));
  await admin.locator('input[name="note"]').fill('HR candidates wait too long');
  await admin.locator('button:has-text("Propose")').click();
  const card = admin.locator('[data-proposal][data-state="open"]');
  await card.waitFor();
  const id = await card.getAttribute('data-proposal');
  assert.match(await card.locator('.approval-count').textContent(), /0 of 2 approvals/);
  assert.match(await card.textContent(), /high_risk: added max_response_time 3000ms/);
  assert.match(await card.textContent(), /You wrote it/);
  assert.equal(await card.locator('button:has-text("Approve")').count(), 0);

  // First reviewer: recorded, not yet in force; they cannot approve twice.
  const first = await openAs(REVIEWERS[0], '/policies', errors);
  const firstCard = await approve(first, id);
  assert.match(await firstCard.locator('.approval-count').textContent(), /1 of 2 approvals/);
  assert.equal(await firstCard.getAttribute('data-state'), 'open');
  assert.equal(await firstCard.locator('button:has-text("Approve")').count(), 0);
  assert.deepEqual(await responseTimeRule(first), ['5000ms', 'customer_facing']);

  // The HR agent's interaction waits in the review queue; the first reviewer approves it.
  await first.goto(`${env.warden.url}/reviews`);
  await hydrated(first);
  const item = first.locator('[data-review][data-state="pending"]').first();
  await item.waitFor();
  assert.match(await item.textContent(), new RegExp(AGENT));
  const itemId = await item.getAttribute('data-review');
  await item.locator('input[name="review-note"]').fill('answer is fair');
  await item.locator('button:has-text("Approve")').click();
  await first.locator('p.note.ok:has-text("Decision recorded.")').waitFor();
  await first.goto(`${env.warden.url}/reviews?state=approved`);
  await hydrated(first);
  const approved = first.locator(`[data-review="${itemId}"][data-state="approved"]`);
  await approved.waitFor();
  assert.match(await approved.textContent(), /approved by rev1@e2e\.test.*answer is fair/s);

  // Second reviewer: the change takes effect.
  const second = await openAs(REVIEWERS[1], '/policies', errors);
  const secondCard = await approve(second, id);
  await second.locator(`[data-proposal="${id}"][data-state="applied"]`).waitFor();
  assert.match(await secondCard.textContent(), /now version 2/);
  await second.locator('[data-policy-version="2"]').waitFor();
  await second.screenshot({ path: `${shots}policy-approved.png`, fullPage: true });
  assert.deepEqual(await responseTimeRule(second), ['3000ms', 'high_risk']);

  // The kill switch, pulled on the Agents page, stops the guard within a second.
  await admin.goto(`${env.warden.url}/agents`);
  await hydrated(admin);
  await pullSwitch(admin, AGENT, 'killed', 'candidate data in answers');
  const { answer, elapsed } = await refusedWithinASecond(env.warden.url, key, Date.now());
  assert.equal(answer.status, 423, JSON.stringify(answer));
  assert.ok(elapsed < 1000, `refused after ${elapsed} ms`);

  // The audit trail shows the approvals, the new version and the switch; the chain holds.
  await admin.goto(`${env.warden.url}/audit`);
  await hydrated(admin);
  await admin.locator('[data-chain="intact"]').waitFor();
  const actions = await admin.locator('tr[data-action]').evaluateAll(
    (rows) => rows.map((r) => [r.dataset.action, r.children[2].textContent, r.children[4].textContent]),
  );
  const seen = (action, actor, target) => actions.some(
    ([a, who, what]) => a === action && who === actor && (!target || what === target),
  );
  assert.ok(seen('policy.propose', ADMIN.email), JSON.stringify(actions));
  assert.ok(seen('policy.approve', REVIEWERS[0].email), JSON.stringify(actions));
  assert.ok(seen('policy.approve', REVIEWERS[1].email), JSON.stringify(actions));
  assert.ok(seen('policy.apply', REVIEWERS[1].email, 'policy:2'), JSON.stringify(actions));
  assert.ok(seen('control.set', ADMIN.email, `agent:${AGENT}`), JSON.stringify(actions));
  assert.ok(seen('review.decide', REVIEWERS[0].email), JSON.stringify(actions));
  const kill = admin.locator('tr[data-action="control.set"]').first();
  await kill.locator('details summary').click();
  assert.match(await kill.textContent(), /candidate data in answers/);
  await admin.screenshot({ path: `${shots}audit-trail.png`, fullPage: true });

  // Filtered to the switch, and exported as CSV with the session.
  await admin.selectOption('select[name="action"]', 'control');
  await Promise.all([admin.waitForURL(/action=control/), admin.click('button:has-text("Filter")')]);
  await hydrated(admin);
  assert.deepEqual(
    await admin.locator('tr[data-action]').evaluateAll((rows) => [...new Set(rows.map((r) => r.dataset.action))]),
    ['control.set'],
  );
  const csvHref = await admin.locator('a:has-text("CSV")').getAttribute('href');
  const csv = await admin.request.get(`${env.warden.url}${csvHref}`);
  assert.equal(csv.status(), 200);
  const lines = (await csv.text()).trim().split('\n');
  assert.equal(lines[0], 'seq,at,actor,action,target,before,after,prev_hash,hash');
  assert.ok(lines.slice(1).every((l) => l.includes(',control.set,')), lines.join('\n'));

  // The Compliance page scores the fleet and says the chain holds.
  await admin.goto(`${env.warden.url}/compliance?window=168`);
  await hydrated(admin);
  await admin.locator('.compliance-score[data-status]').waitFor();
  await admin.locator(`tr[data-agent="${AGENT}"][data-status]`).waitFor();
  await admin.locator('[data-chain="intact"]').waitFor();
  await admin.screenshot({ path: `${shots}compliance.png`, fullPage: true });

  assert.deepEqual(errors.flat(), []);
});
