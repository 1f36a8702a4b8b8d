// The role dashboards under traffic sent through the native API: the engineering lead's
// System Overview with its charts and figures, refreshed without a reload; finance's Cost
// Center (and a 403 for the System Overview); an agent owner's Agent Detail holding only
// their own agent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hydrated, openSignedIn, useWarden } from '../lib/warden.mjs';

const shots = new URL('../screenshots/', import.meta.url).pathname;
const env = useWarden();
const LEAD = { email: 'lead@e2e.test', password: 'lead password for e2e' };
const FINANCE = { email: 'finance@e2e.test', password: 'finance password for e2e' };
const OWNER = { email: 'owner@e2e.test', password: 'owner password for e2e' };

async function api(token, method, path, body) {
  const response = await fetch(`${env.warden.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body && JSON.stringify(body),
  });
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
  return response.json();
}

let serial = 0;
// `count` interactions of `agent`, each a 1.2 s root with a model call reporting 0.02 USD
// and a tool call; every `errorEvery`-th fails.
async function send(key, agent, count, errorEvery = 0) {
  const now = Date.now();
  const spans = [];
  for (let i = 0; i < count; i += 1) {
    serial += 1;
    const trace = serial.toString(16).padStart(32, 'a');
    const start = now - 20_000 + i * 10;
    const failed = errorEvery > 0 && i % errorEvery === 0;
    spans.push(
      { trace_id: trace, span_id: 'b000000000000001', kind: 'agent', name: `answer ${i}`, start_ms: start, duration_ms: 1200 },
      { trace_id: trace, span_id: 'b000000000000002', parent_span_id: 'b000000000000001', kind: 'llm', name: 'chat',
        start_ms: start + 100, duration_ms: 800, model: 'gpt-4o', input_tokens: 900, output_tokens: 120, cost_usd: 0.02,
        status: failed ? 'error' : 'ok' },
      { trace_id: trace, span_id: 'b000000000000003', parent_span_id: 'b000000000000001', kind: 'tool', name: 'lookup',
        tool: 'lookup', start_ms: start + 950, duration_ms: 100 },
    );
  }
  const response = await fetch(`${env.warden.url}/api/v1/ingest`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ agent, spans }),
  });
  assert.equal(response.status, 200, await response.text());
}

const tile = (page, label) => page.locator(`.tile[data-metric="${label}"] .tile-value`);

test('each dashboard shows its role real figures and charts, and refuses the other roles', async () => {
  const { warden } = env;
  warden.addUser(LEAD, 'engineering_lead');
  warden.addUser(FINANCE, 'finance');
  warden.addUser(OWNER, 'agent_owner');
  const admin = warden.cli('token', 'create', 'admin@e2e.test');
  await api(admin, 'POST', '/api/v1/agents', { name: 'shop-agent', owner: OWNER.email, category: 'internal' });
  await api(admin, 'POST', '/api/v1/agents', { name: 'ledger-agent', category: 'internal' });
  const shop = (await api(admin, 'POST', '/api/v1/ingest-keys', { name: 'shop', agent: 'shop-agent' })).secret;
  const ledger = (await api(admin, 'POST', '/api/v1/ingest-keys', { name: 'ledger', agent: 'ledger-agent' })).secret;
  await send(shop, 'shop-agent', 30, 5);
  await send(ledger, 'ledger-agent', 10);

  // The engineering lead's System Overview.
  const lead = await openSignedIn(env, LEAD, '/dashboards/system');
  const { page } = lead;
  await page.locator('.tile[data-metric="interactions"]').waitFor();
  assert.equal(await tile(page, 'interactions').textContent(), '40');
  assert.equal(await tile(page, 'active agents').textContent(), '2');
  assert.equal(await tile(page, 'open anomalies').textContent(), '0', 'no history to judge against yet');
  // 6 of 40 failed (every fifth of shop-agent's 30).
  assert.equal(await tile(page, 'error rate').textContent(), '15.0%');
  const p95 = await tile(page, 'p95 latency').textContent();
  assert.match(p95, /^1\.(1[89]|2[0-4]) s$/, p95);
  assert.ok((await page.locator('.tile[data-metric="error rate"]').getAttribute('title')).includes('ERROR'),
    'the definition is the tooltip');
  const charts = await page.locator('figure.chart').evaluateAll((figs) => figs.map((f) => ({
    title: f.dataset.chart, svg: f.querySelector('svg') !== null, text: f.textContent,
  })));
  assert.deepEqual(charts.map((c) => c.title), ['Error rate', 'Latency', 'Throughput', 'Cost']);
  assert.ok(charts.every((c) => c.svg), 'every chart is drawn');
  assert.ok(charts[1].text.includes('p95') && charts[1].text.includes('interaction duration'), 'legend and axis');
  assert.equal(await page.locator('table.agents-metrics tbody tr').count(), 2);
  await page.screenshot({ path: `${shots}dashboard-system.png`, fullPage: true });

  // New traffic shows within the 10 s refresh, without a reload.
  await page.evaluate(() => { window.notReloaded = true; });
  await send(ledger, 'ledger-agent', 5);
  await page.waitForFunction(
    () => document.querySelector('.tile[data-metric="interactions"] .tile-value')?.textContent === '45',
    null, { timeout: 25_000 },
  );
  assert.equal(await page.evaluate(() => window.notReloaded), true);
  const leadCost = await lead.context.newPage();
  const refused = await leadCost.goto(`${warden.url}/dashboards/cost`);
  assert.equal(refused.status(), 403);
  assert.deepEqual(lead.errors, []);
  await lead.context.close();

  // Finance's Cost Center: 45 model calls at 0.02 USD (0.0172 EUR) each.
  const fin = await openSignedIn(env, FINANCE, '/dashboards/cost');
  await fin.page.locator('.tile[data-metric="spend in range"]').waitFor();
  assert.equal(await tile(fin.page, 'spend in range').textContent(), '0.774 EUR');
  assert.equal(await tile(fin.page, 'spend today').textContent(), '0.774 EUR');
  const spend = await fin.page.locator('table.spend tbody tr').evaluateAll((trs) => trs.map((tr) => tr.dataset.agent));
  assert.deepEqual(spend, ['shop-agent', 'ledger-agent'], 'largest spend first');
  assert.equal(await fin.page.locator('figure.chart[data-chart="Daily spend"] svg').count(), 1);
  assert.equal(await fin.page.locator('figure.chart[data-chart="Spend this month, the fleet"] svg').count(), 1);
  // Finance sets shop-agent's budget under what it has spent (30 calls, 0.516 EUR): over.
  assert.ok((await fin.page.locator('section.budgets').textContent()).includes('No budget is set'));
  await fin.page.locator('.budget-form summary').click();
  await fin.page.locator('.budget-form select[name="scope"]').selectOption('agent:shop-agent');
  await fin.page.locator('.budget-form input[name="monthly"]').fill('0.5');
  await fin.page.locator('.budget-form select[name="hard_cap"]').selectOption('pause');
  await fin.page.locator('.budget-form button[type="submit"]').click();
  const row = fin.page.locator('tr[data-budget="agent:shop-agent"]');
  await row.waitFor();
  assert.equal(await row.getAttribute('data-state'), 'over');
  assert.ok((await row.textContent()).includes('0.516 EUR'), await row.textContent());
  assert.ok((await row.textContent()).includes(FINANCE.email));
  const trail = await api(admin, 'GET', '/api/v1/audit?action=budget.set');
  assert.equal(trail.events[0].actor, FINANCE.email);
  await fin.page.screenshot({ path: `${shots}dashboard-cost.png`, fullPage: true });
  const finSystem = await fin.context.newPage();
  assert.equal((await finSystem.goto(`${warden.url}/dashboards/system`)).status(), 403);
  assert.deepEqual(fin.errors, []);
  await fin.context.close();

  // The agent owner's Agent Detail: their agent only, even when asking for another.
  const owner = await openSignedIn(env, OWNER, '/dashboards/agent?agent=ledger-agent');
  await owner.page.locator('h1:has-text("shop-agent")').waitFor();
  const choices = await owner.page.locator('select[name="agent"] option').allTextContents();
  assert.deepEqual(choices, ['shop-agent']);
  assert.ok(!(await owner.page.locator('main').textContent()).includes('ledger-agent'));
  assert.equal(await tile(owner.page, 'interactions').textContent(), '30');
  assert.equal(await tile(owner.page, 'error rate').textContent(), '20.0%');
  assert.equal(await tile(owner.page, 'tool-call success rate').textContent(), '100.0%');
  assert.equal(await owner.page.locator('figure.chart svg').count(), 3);
  assert.ok(await owner.page.locator('section.card:has(h2:has-text("Latest errors")) tbody tr').count() > 0);
  assert.ok((await owner.page.locator('main').textContent()).includes('No anomaly in the last 30 days.'));
  await owner.page.screenshot({ path: `${shots}dashboard-agent.png`, fullPage: true });
  const ownerSystem = await owner.context.newPage();
  assert.equal((await ownerSystem.goto(`${warden.url}/dashboards/system`)).status(), 403);
  assert.deepEqual(owner.errors, []);
  await owner.context.close();
});
