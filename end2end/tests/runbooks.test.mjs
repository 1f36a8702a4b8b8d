// Runbooks and post-mortems in Chromium: an agent that puts PII in an answer opens a PII
// leak incident whose runbook kills the agent by itself; the on-call person ticks off the
// guided audit step with a note and resolves; the post-mortem is drafted by the on-call
// person (who cannot close it) and closed by a reviewer; the audit trail has both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hydrated, openSignedIn, useWarden } from '../lib/warden.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;
const ONCALL = { email: 'oncall@e2e.test', password: 'on-call password for e2e' };
const REVIEWER = { email: 'reviewer@e2e.test', password: 'reviewer password for e2e' };

const env = useWarden({ config: 'incidents:\n  tick: 200ms\n' });

async function api(token, method, path, body) {
  const response = await fetch(`${env.warden.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

async function until(what, read) {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = await read();
    if (found) return found;
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

test('a PII leak kills its agent by runbook; people finish the steps and the post-mortem', async () => {
  const { warden } = env;
  warden.addUser(ONCALL, 'on_call');
  warden.addUser(REVIEWER, 'reviewer');
  const admin = warden.cli('token', 'create', 'admin@e2e.test');
  await api(admin, 'POST', '/api/v1/agents', { name: 'hr-agent', category: 'internal' });
  const key = (await api(admin, 'POST', '/api/v1/ingest-keys', { name: 'hr', agent: 'hr-agent' })).secret;
  await api(key, 'POST', '/api/v1/ingest', {
    agent: 'hr-agent',
    spans: [{
      trace_id: 'c'.repeat(32), span_id: 'c000000000000001', kind: 'agent', name: 'answer',
      start_ms: Date.now() - 2_000, duration_ms: 900,
      output: 'Sure: Jane Roe earns 84,000; reach her at jane.roe@example.com or +1 415 555 0132.',
    }],
  });

  const incident = await until('the PII leak incident', async () =>
    (await api(admin, 'GET', '/api/v1/incidents')).find((i) => i.kind === 'pii_leak' && i.agent === 'hr-agent'));
  const { id } = incident;

  // The on-call person covers the next two hours; the dashboard's card says they are on call.
  const { page, context, errors } = await openSignedIn(env, ONCALL, '/incidents');
  await page.locator('[data-on-call]').waitFor();
  const utc = (ms) => new Date(ms).toISOString().slice(0, 16);
  const cover = page.locator('form[data-cover]');
  await cover.locator('input[name="starts"]').fill(utc(Date.now() - 60_000));
  await cover.locator('input[name="ends"]').fill(utc(Date.now() + 2 * 3_600_000));
  await cover.locator('input[name="note"]').fill('I cover the release window');
  await cover.locator('button[type="submit"]').click();
  await page.locator('[data-on-call-now]', { hasText: 'oncall@e2e.test (covering)' }).waitFor({ timeout: 10_000 });
  await page.screenshot({ path: `${shots}incidents-on-call.png`, fullPage: true });

  // The runbook's first step kills the agent by itself.
  await page.goto(`${warden.url}/incidents/${id}`);
  await hydrated(page);
  await page.locator('tr[data-step="1"][data-step-status="done"]').waitFor({ timeout: 15_000 });
  assert.match(await page.locator('tr[data-step="1"]').textContent(), /hr-agent is killed/);
  assert.equal((await api(admin, 'GET', '/api/v1/agents/hr-agent/control')).state, 'killed');
  assert.equal(await page.locator('tr[data-step="3"]').getAttribute('data-step-status'), 'pending');

  // The on-call person ticks off the guided audit step with a note.
  await page.locator('input[data-step-note]').fill('two mails recalled');
  await page.locator('tr[data-step="3"] button[data-step-action="done"]').click();
  await page.locator('tr[data-step="3"][data-step-status="done"]').waitFor({ timeout: 10_000 });
  const last = page.locator('[data-timeline] li[data-entry="runbook_step"]').last();
  await last.waitFor();
  assert.match(await last.textContent(), /oncall@e2e\.test/);
  assert.match(await last.textContent(), /step 3 audit what leaked: done — done by hand \(two mails recalled\)/);
  await page.screenshot({ path: `${shots}incident-runbook.png`, fullPage: true });

  // Resolving skips the rollback nobody ran and opens the post-mortem.
  await page.locator('button[data-action="resolve"]').click();
  await page.locator('tr[data-step="2"][data-step-status="skipped"]').waitFor({ timeout: 10_000 });
  await page.locator('[data-postmortem-link] a', { hasText: 'Open the post-mortem' }).click();
  await page.waitForURL(`**/incidents/${id}/postmortem`);
  await hydrated(page);
  await page.locator('[data-postmortem-status="draft"]').waitFor();
  assert.equal(await page.locator('button[data-action="close"]').count(), 0, 'on-call drafts, does not close');
  await page.locator('textarea[data-field="impact"]').fill('One answer leaked a salary, an e-mail address and a phone number.');
  await page.locator('textarea[data-field="root_cause"]').fill('The HR prompt put payroll rows in the answer context.');
  await page.locator('button[data-action="add-item"]').click();
  const item = page.locator('tr[data-item="1"]');
  await item.locator('input[data-field="title"]').fill('Keep payroll rows out of the context');
  await item.locator('input[data-field="owner"]').fill('hr-eng@e2e.test');
  await item.locator('input[data-field="due"]').fill('2026-12-31');
  await page.locator('button[data-action="save"]').click();
  await page.getByText('Saved; the audit trail has the change.').waitFor();
  await page.locator('[data-postmortem-status="draft"]', { hasText: 'revision 2' }).waitFor();
  assert.deepEqual(errors, [], 'no error in the on-call browser');
  await context.close();

  // The reviewer sees it listed, and closes it.
  const reviewer = await openSignedIn(env, REVIEWER, '/incidents');
  await reviewer.page.locator(`table[data-table="postmortems"] tr[data-postmortem="${id}"]`).waitFor();
  await reviewer.page.goto(`${warden.url}/incidents/${id}/postmortem`);
  await hydrated(reviewer.page);
  assert.equal(await reviewer.page.locator('input[data-field="owner"]').inputValue(), 'hr-eng@e2e.test');
  await reviewer.page.screenshot({ path: `${shots}postmortem-draft.png`, fullPage: true });
  await reviewer.page.locator('button[data-action="close"]').click();
  await reviewer.page.locator('[data-postmortem-status="closed"]').waitFor({ timeout: 10_000 });
  assert.match(await reviewer.page.locator('[data-postmortem-status]').textContent(), /Closed by reviewer@e2e\.test/);
  await reviewer.page.screenshot({ path: `${shots}postmortem-closed.png`, fullPage: true });
  assert.deepEqual(reviewer.errors, [], 'no error in the reviewer browser');
  await reviewer.context.close();

  const trail = await api(admin, 'GET', `/api/v1/audit?target=incident:${id}`);
  const actions = (trail.events ?? trail).map((e) => `${e.action} ${e.actor}`);
  assert.ok(actions.includes('postmortem.save oncall@e2e.test'), actions.join('\n'));
  assert.ok(actions.includes('postmortem.close reviewer@e2e.test'), actions.join('\n'));
  assert.deepEqual(await api(admin, 'GET', '/api/v1/postmortems'), []);
});
