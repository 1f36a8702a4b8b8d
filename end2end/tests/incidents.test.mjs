// Incident response in Chromium with a real SMTP server: an incident opened over the API
// appears on the on-call person's Incident dashboard without a reload (server-sent
// events), its page arrives in the SMTP server's inbox, the acknowledge link in the mail
// shows the incident and a button, the button acknowledges, and the dashboard shows it
// acknowledged, again without a reload. The ladder runs in seconds.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { hydrated, openSignedIn, useWarden } from '../lib/warden.mjs';
import { startSmtpSink } from '../lib/smtp.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;
const ONCALL = { email: 'oncall@e2e.test', password: 'on-call password for e2e' };
const LEAD = { email: 'lead@e2e.test', password: 'lead password for e2e' };

let smtp;
const env = useWarden(async () => {
  smtp = await startSmtpSink();
  return {
    env: { WARDEN_SMTP: `127.0.0.1:${smtp.port}` },
    config: [
      'incidents:',
      '  tick: 200ms',
      '  escalation:',
      '    levels:',
      '      - {after: 0s, notify: [on_call]}',
      '      - {after: 20s, notify: [engineering_lead]}',
      '',
    ].join('\n'),
  };
});
after(() => smtp?.stop());

test('an incident pages by mail, shows live on the dashboard and is acknowledged from the mail', async () => {
  const { warden } = env;
  warden.addUser(ONCALL, 'on_call');
  warden.addUser(LEAD, 'engineering_lead');
  const token = warden.cli('token', 'create', ONCALL.email);

  const { page, context, errors } = await openSignedIn(env, ONCALL, '/incidents');
  await hydrated(page);
  await page.locator('table[data-table="active"]').waitFor();
  assert.equal(await page.locator('table[data-table="active"] tbody tr').count(), 0);

  const response = await fetch(`${warden.url}/api/v1/incidents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ title: 'Refund agent promises refunds it cannot give', severity: 'critical' }),
  });
  const body = await response.text();
  assert.equal(response.status, 201, body);
  const { id } = JSON.parse(body);

  // On the dashboard without a reload.
  const row = page.locator(`table[data-table="active"] tr[data-incident="${id}"]`);
  await row.waitFor({ timeout: 10_000 });
  assert.equal(await row.getAttribute('data-status'), 'triggered');
  assert.match(await row.textContent(), /Refund agent promises/);
  assert.match(await row.locator('td[data-next-page]').textContent(), /^in \d+ s$/);
  await page.screenshot({ path: `${shots}incidents-triggered.png`, fullPage: true });

  // The page in the inbox, with the acknowledge link.
  const mail = await smtp.waitFor(ONCALL.email, new RegExp(`TRIGGERED #${id} critical`));
  const link = /https?:\/\/\S+\/ack\/\S+/.exec(mail.text)?.[0];
  assert.ok(link, mail.text);
  const ackPath = new URL(link).pathname;

  // Opening the link shows a button and acknowledges nothing (mail scanners open links).
  const ackPage = await context.newPage();
  await ackPage.goto(`${warden.url}${ackPath}`);
  const button = ackPage.getByRole('button', { name: `Acknowledge incident #${id}` });
  await button.waitFor();
  await ackPage.screenshot({ path: `${shots}incident-ack-link.png` });
  assert.equal(await row.getAttribute('data-status'), 'triggered');
  await button.click();
  await ackPage.getByText('The escalation has stopped').waitFor();

  // The dashboard follows, still without a reload; the lead is never paged.
  await page.locator(`tr[data-incident="${id}"][data-status="acknowledged"]`).waitFor({ timeout: 10_000 });
  assert.match(await page.locator(`tr[data-incident="${id}"]`).textContent(), /oncall@e2e\.test/);
  await page.screenshot({ path: `${shots}incidents-acknowledged.png`, fullPage: true });

  // The incident's page holds the timeline: opened, escalated, page sent, acknowledged.
  await page.goto(`${warden.url}/incidents/${id}`);
  await hydrated(page);
  const entries = await page.locator('[data-timeline] li').evaluateAll((lis) => lis.map((li) => li.dataset.entry));
  assert.deepEqual(entries, ['opened', 'escalated', 'page_sent', 'acknowledged']);
  await page.screenshot({ path: `${shots}incident-page.png`, fullPage: true });

  // Resolved from the incident page: a resolved mail to the one who was paged.
  await page.locator('button[data-action="resolve"]').click();
  await page.locator('[data-timeline] li[data-entry="resolved"]').waitFor({ timeout: 10_000 });
  await smtp.waitFor(ONCALL.email, new RegExp(`RESOLVED #${id}`));
  assert.ok(!smtp.inbox().some((m) => m.to === LEAD.email), 'the lead was never paged');
  assert.deepEqual(errors, [], 'no error in the browser');
  await context.close();
});
