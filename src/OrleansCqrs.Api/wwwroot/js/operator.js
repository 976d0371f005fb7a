// The operator's view: bank totals and top accounts (the ledger), the cluster's status (GET /api/admin/status:
// silos, projection lag per read model as a live chart, the healer), rebuilds with their progress, and every
// account's changes as they happen.
import { api, ApiProblem } from './api.js';
import { byId, element, money, row, show, sleep, time } from './dom.js';
import { follow } from './live.js';
import { drawLines } from './chart.js';

const lagWindowMs = 60000;
const lagHistory = new Map(); // read model → [{ x: ms since the epoch, y: ms behind }]
let running = false;
let live = null;

export function start(caller, dashboard) {
  running = true;
  openDashboard(dashboard);
  lagHistory.clear();
  poll(refreshLedger, 1000, 'totals-error', 'The totals could not be read');
  poll(refreshStatus, 1000, 'status-error', 'The status could not be read');
  // A rebuild someone else started, now or later, is followed too: every 2 s while idle, every 0.3 s while it runs.
  for (const name of Object.keys(rebuilds)) poll(() => refreshRebuildOnce(name), 2000);
  live = follow('/api/live', {
    onFrame: activity,
    onOpen: () => {},
    onState: (state) => {
      const badge = byId('operator-live-state');
      badge.textContent = state;
      badge.classList.toggle('live', state === 'live');
    },
  });
}

// The dashboard's pages are opened by navigation, which carries no bearer token: the front end is asked once to keep
// this operator's token in a cookie that only the dashboard's path receives (HttpOnly: this page cannot read it).
async function openDashboard(path) {
  const link = byId('dashboard-link');
  show(link, false);
  byId('dashboard-error').textContent = '';
  if (!path) return;
  try {
    await api('/api/admin/dashboard-session', { method: 'POST' });
    byId('open-dashboard').href = `${path}/`;
    show(link, true);
  } catch (error) {
    byId('dashboard-error').textContent = `The Orleans dashboard cannot be opened: ${error.message}`;
  }
}

export function stop() {
  running = false;
  live?.stop();
  live = null;
}

// Refreshes until the view stops. A failed refresh keeps what was shown and says so (the error element), with when
// it was last read, until a refresh succeeds again.
async function poll(refresh, intervalMs, errorId, what) {
  let lastRead = null;
  while (running) {
    let next = intervalMs;
    try {
      const asked = await refresh();
      if (typeof asked === 'number') next = asked;
      lastRead = Date.now();
      if (errorId) show(byId(errorId), false);
    } catch (error) {
      if (!running) return;
      if (errorId) {
        const box = byId(errorId);
        const why = error instanceof ApiProblem ? [error.code ?? error.status, error.message].filter(Boolean).join(': ') : String(error?.message ?? error);
        box.textContent = `${what} (${why}); ${lastRead ? `what is shown is from ${time(lastRead)}` : 'nothing read yet'}. Trying again.`;
        show(box, true);
      }
    }

    await sleep(next);
  }
}

async function refreshLedger() {
  const [totals, top] = await Promise.all([api('/api/bank/totals'), api('/api/bank/top-accounts?limit=10')]);
  const box = byId('totals');
  const facts = element('dl', null, 'facts');
  const fact = (name, value) => facts.append(element('dt', name), element('dd', value));
  fact('Accounts', `${totals.accounts} (${totals.openAccounts} open)`);
  for (const currency of totals.currencies) {
    fact(`Balance ${currency.currency}`, `${money(currency.balance)} (in flight ${money(currency.inFlight ?? 0)})`);
    fact(`Deposits ${currency.currency}`, `${currency.deposits} · ${money(currency.depositedAmount)}`);
    fact(`Withdrawals ${currency.currency}`, `${currency.withdrawals} · ${money(currency.withdrawnAmount)}`);
  }

  fact('Transfers', `${totals.transfers.requested} requested, ${totals.transfers.completed} completed, ${totals.transfers.failed} failed, ${totals.transfers.pending} pending`);
  fact('Log position', totals.position);
  box.replaceChildren(facts);
  box.dataset.position = String(totals.position);
  box.dataset.accounts = String(totals.accounts);
  byId('top-accounts').tBodies[0].replaceChildren(...top.accounts.map((a) => row([a.accountId, a.customerId, { text: `${money(a.balance)} ${a.currency}`, className: 'num' }])));
}

async function refreshStatus() {
  renderStatus(await api('/api/admin/status'));
  return 1000;
}

export function renderStatus(status) {
  const at = Date.parse(status.at) || Date.now();
  byId('log-head').textContent = `Log head: position ${status.position ?? 'unknown'} at ${time(at)}`;
  // What the front end could not measure this time (a side's silos down, a store not answering), said as it is.
  const problems = byId('status-problems');
  problems.replaceChildren(...(status.problems ?? []).map((problem) => element('li', problem)));
  show(problems, problems.childElementCount > 0);
  byId('silos').tBodies[0].replaceChildren(...status.silos.map((silo) => {
    const tr = row([silo.name, silo.address, silo.role ?? 'not known yet', silo.status, time(silo.startedAt)]);
    tr.dataset.status = silo.status;
    return tr;
  }));
  byId('read-models').tBodies[0].replaceChildren(...status.readModels.map((model) => {
    const behind = model.moreBehind ? `${model.eventsBehind}+` : model.eventsBehind;
    const tr = row([model.name, model.kind, { text: behind, className: 'num' }, { text: model.waiting ?? '', className: 'num' }, { text: model.millisecondsBehind, className: 'num' }, model.stuck ?? '']);
    tr.dataset.readModel = model.name;
    return tr;
  }));

  for (const model of status.readModels) {
    const points = lagHistory.get(model.name) ?? [];
    points.push({ x: at, y: Number(model.millisecondsBehind) });
    while (points.length && points[0].x < at - lagWindowMs) points.shift();
    lagHistory.set(model.name, points);
  }

  const series = [...lagHistory.entries()].map(([name, points]) => ({ name, points }));
  drawLines(byId('lag-chart'), series, { formatX: (x) => time(x), formatY: (y) => `${Math.round(y)} ms`, legend: true });

  const healer = status.healer ?? {};
  const facts = byId('healer');
  facts.replaceChildren();
  for (const [name, label] of [['checkpoint', 'Checkpoint'], ['readUpTo', 'Read up to'], ['pending', 'Pending'], ['heals', 'Heals']]) {
    facts.append(element('dt', label), element('dd', healer[name] ?? '—'));
  }

  byId('recent-heals').replaceChildren(...(healer.recentHeals ?? []).slice(0, 10).map((heal) =>
    element('li', `${time(heal.at)} ${heal.projection}/${heal.key}: asked up to version ${heal.expectedVersion}, reached ${heal.reachedVersion}`)));
}

const rebuilds = {
  ledger: { path: '/api/admin/projections/ledger/rebuild', progress: 'ledger-progress', text: 'ledger-rebuild-text', button: 'rebuild-ledger' },
  'account-summary': { path: '/api/admin/projections/account-summary/rebuild', progress: 'summary-progress', text: 'summary-rebuild-text', button: 'rebuild-summaries' },
};

export function bindRebuilds() {
  for (const [name, rebuild] of Object.entries(rebuilds)) {
    byId(rebuild.button).addEventListener('click', async () => {
      const error = byId('rebuild-error');
      error.hidden = true;
      byId(rebuild.button).disabled = true;
      try {
        showRebuild(name, await api(rebuild.path, { method: 'POST' }));
        await refreshRebuild(name, true);
      } catch (problem) {
        error.textContent = problem instanceof ApiProblem ? [problem.code, problem.message].filter(Boolean).join(': ') : String(problem);
        error.hidden = false;
      } finally {
        byId(rebuild.button).disabled = false;
      }
    });
  }
}

async function refreshRebuildOnce(name) {
  return showRebuild(name, await api(rebuilds[name].path)) ? 300 : 2000;
}

async function refreshRebuild(name, follow) {
  for (;;) {
    const progress = await api(rebuilds[name].path).catch(() => null);
    if (!progress) return;
    const runs = showRebuild(name, progress);
    if (!follow || !runs || !running) return;
    await sleep(300);
  }
}

// The ledger reports a fraction of the log read; the summaries how many accounts are rebuilt out of how many.
function showRebuild(name, progress) {
  const rebuild = rebuilds[name];
  const bar = byId(rebuild.progress);
  const text = byId(rebuild.text);
  let runs;
  if (name === 'ledger') {
    runs = progress.inProgress;
    bar.value = runs ? progress.fraction : 1;
    text.textContent = runs
      ? `Generation ${progress.buildingGeneration} at ${Math.round(progress.fraction * 100)}% of position ${progress.targetPosition}`
      : `Generation ${progress.activeGeneration} serves${progress.targetPosition ? `; last rebuilt up to position ${progress.targetPosition}` : ''}.`;
  } else {
    runs = progress.running;
    bar.value = progress.accounts ? (progress.rebuilt + progress.failed) / progress.accounts : runs ? 0 : 1;
    text.textContent = `${runs ? 'Running' : 'Idle'}: ${progress.rebuilt} of ${progress.accounts} accounts rebuilt${progress.failed ? `, ${progress.failed} failed` : ''}.`;
  }

  text.dataset.state = runs ? 'running' : 'idle';
  return runs;
}

function activity(event, data) {
  const list = byId('activity');
  const text = event === 'account'
    ? `${data.accountId} (${data.customerId}): ${money(data.balance)} ${data.currency}, ${data.status}, v${data.version}`
    : `Transfer ${data.transferId}: ${money(data.amount)} ${data.currency} ${data.fromAccountId} → ${data.toAccountId} ${data.status}`;
  list.prepend(element('li', text));
  while (list.children.length > 12) list.lastElementChild.remove();
}
