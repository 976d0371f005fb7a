// The customer's view: its accounts (balances kept live by /api/live), the command forms, the read-your-write
// indicator and the statement with its chart.
import { api, jsonBody, ApiProblem } from './api.js';
import { byId, element, money, row, show, time } from './dom.js';
import { bindCommandForm, clearErrors, showProblem } from './forms.js';
import { follow } from './live.js';
import { drawLines } from './chart.js';
import { readYourWrites } from './measure.js';

const accounts = new Map(); // account id → the summary shown (the highest version seen)
const waiters = []; // commands answered whose effect is not shown yet: { label, accountId, version, answeredAt }
const transferWaiters = new Map(); // transfer id → { label, answeredAt }
const transfersSeen = new Map(); // transfer id → its last live update
const pendingTransfers = new Map(); // transfer id → a transfer on its way, as the portfolio or a live frame said
let customerId = null;
let live = null;
let statement = { accountId: null, entries: [], next: null };
let signedIn = 0; // which sign-in answers belong to: one that comes after the customer changed is dropped
let portfolioRead = false; // whether this sign-in has read the portfolio once
const fallbackAfterMs = 3000;

export function start(caller) {
  reset();
  customerId = caller.customerId;
  live = follow('/api/live', {
    onFrame: (event, data) => (event === 'account' ? apply(data, 'live update') : onTransfer(data)),
    // Subscribed first, read second: a change between the two arrives as a frame, and the higher version wins.
    onOpen: () => {
      liveNotice(null);
      loadPortfolio();
    },
    // Without the stream the accounts are still read once, and the customer is told why nothing moves by itself.
    onRefused: (refusal) => {
      liveNotice(`Live updates are unavailable for now (${[refusal.code ?? refusal.status, refusal.detail].filter(Boolean).join(': ')}); the page keeps trying. Balances shown may be behind until then.`);
      if (!portfolioRead) loadPortfolio();
    },
    onState: (state) => {
      const badge = byId('live-state');
      badge.textContent = state;
      badge.classList.toggle('live', state === 'live');
    },
  });
}

export function stop() {
  live?.stop();
  live = null;
  reset();
}

// Nothing of one customer stays on the page for the next one in this tab: accounts, statement, chart, messages,
// commands still waited for, and answers still on their way.
function reset() {
  signedIn++;
  statementRead++;
  portfolioRead = false;
  liveNotice(null);
  customerId = null;
  accounts.clear();
  waiters.length = 0;
  transferWaiters.clear();
  transfersSeen.clear();
  pendingTransfers.clear();
  statement = { accountId: null, entries: [], next: null };
  byId('statement').tBodies[0].replaceChildren();
  delete byId('statement').dataset.accountId;
  show(byId('statement'), false);
  show(byId('statement-older'), false);
  show(byId('statement-figure'), false);
  byId('balance-chart').replaceChildren();
  byId('balance-chart-caption').textContent = 'Balance over time';
  byId('pending-transfers').textContent = '';
  show(byId('pending-transfers'), false);
  byId('live-announce').textContent = '';
  indicator('No command sent yet.', false);
  delete byId('ryw').dataset.state;
  for (const form of byId('customer-view').querySelectorAll('form')) {
    clearErrors(form);
    delete form.dataset.idempotencyKey;
    form.reset();
  }

  render();
}

async function loadPortfolio() {
  const session = signedIn;
  try {
    const portfolio = await api(`/api/customers/${encodeURIComponent(customerId)}/portfolio`);
    if (session !== signedIn) return;
    portfolioRead = true;
    for (const summary of portfolio.accounts) apply(summary, 'read');
    pendingTransfers.clear();
    for (const transfer of portfolio.pendingTransfers ?? []) {
      // A frame that said it ended, before this read answered, wins.
      if ((transfersSeen.get(transfer.transferId)?.status ?? 'pending') === 'pending') pendingTransfers.set(transfer.transferId, transfer);
    }

    renderPending();
  } catch (error) {
    if (session !== signedIn) return;
    // A customer without accounts is "not found": that is an empty portfolio, not an error.
    if (!(error instanceof ApiProblem && error.code === 'customer-not-found')) notice(error);
  }

  render();
}

function apply(summary, via) {
  const shown = accounts.get(summary.accountId);
  if (shown && shown.version >= summary.version) return;
  accounts.set(summary.accountId, summary);
  const isNew = !shown;
  if (isNew) render();
  else renderRow(summary, true);
  if (via === 'live update' && shown) {
    byId('live-announce').textContent = `${summary.accountId}: balance ${money(summary.balance)} ${summary.currency}`;
  }

  for (let i = waiters.length - 1; i >= 0; i--) {
    const waiter = waiters[i];
    if (waiter.accountId === summary.accountId && waiter.version <= summary.version) {
      waiters.splice(i, 1);
      caughtUp(waiter, via);
    }
  }

  if (statement.accountId === summary.accountId && summary.version > newestStatementVersion()) loadStatement(summary.accountId);
}

// Commands take open accounts; the statement every account. A closed account that holds money (a transfer's refund
// that came back after it closed) is offered for withdrawal: paying it out is how the customer gets it back.
function offered(summary, selectId) {
  if (selectId === 'statement-account' || summary.status === 'Open') return true;
  return selectId === 'withdraw-account' && summary.status === 'Closed' && Number(summary.balance) > 0;
}

function render() {
  const body = byId('accounts').tBodies[0];
  const ids = [...accounts.keys()].sort();
  body.replaceChildren(...ids.map((id) => accountRow(accounts.get(id))));
  show(byId('no-accounts'), ids.length === 0);
  for (const select of document.querySelectorAll('.account-select')) {
    const current = select.value;
    const options = ids.filter((id) => offered(accounts.get(id), select.id)).map((id) => {
      const option = element('option', `${id} (${accounts.get(id).currency})`);
      option.value = id;
      return option;
    });
    select.replaceChildren(...options);
    // An account no longer offered (just closed) leaves the first one chosen, never an empty choice.
    if (options.some((option) => option.value === current)) select.value = current;
  }

  byId('own-accounts').replaceChildren(...ids.map((id) => Object.assign(element('option'), { value: id })));
}

function accountRow(summary) {
  const open = element('button', 'Statement', 'link');
  open.type = 'button';
  open.setAttribute('aria-label', `Statement of ${summary.accountId}`);
  open.addEventListener('click', () => {
    byId('statement-account').value = summary.accountId;
    loadStatement(summary.accountId);
  });
  const tr = row([summary.accountId, summary.currency, { text: money(summary.balance), className: 'num balance' }, summary.status, { text: summary.version, className: 'num version' }, open]);
  tr.dataset.accountId = summary.accountId;
  tr.dataset.version = String(summary.version);
  return tr;
}

function renderRow(summary, changed) {
  const tr = byId('accounts').querySelector(`tr[data-account-id="${CSS.escape(summary.accountId)}"]`);
  if (!tr) return render();
  const fresh = accountRow(summary);
  if (changed) fresh.classList.add('changed');
  tr.replaceWith(fresh);
  // A closed account leaves the command selects.
  if (summary.status !== 'Open') render();
}

// Read your writes: the command's answer carries the account's version after it; the page reports how long after
// the answer a summary of at least that version was on the screen, and by which path it came. A live frame normally
// brings it; if none has come after a few seconds (the stream is down), a read with minVersion does.
function awaitReadModel(label, accepted) {
  const waiter = { label, accountId: accepted.accountId, version: accepted.version, answeredAt: performance.now() };
  const shown = accounts.get(accepted.accountId);
  if (shown && shown.version >= accepted.version) {
    caughtUp(waiter, 'live update');
    return;
  }

  indicator(`${label}: accepted as version ${accepted.version}; waiting for the read model…`, false);
  waiters.push(waiter);
  const session = signedIn;
  setTimeout(async () => {
    if (!waiters.includes(waiter)) return;
    try {
      const summary = await api(`/api/accounts/${encodeURIComponent(waiter.accountId)}?minVersion=${waiter.version}&waitMs=5000`);
      if (session === signedIn) apply(summary, 'read with minVersion');
    } catch (error) {
      notice(error);
    }
  }, fallbackAfterMs);
}

function caughtUp(waiter, via) {
  const ms = performance.now() - waiter.answeredAt;
  readYourWrites.push({ label: waiter.label, accountId: waiter.accountId, version: waiter.version, ms, via });
  indicator(`${waiter.label}: caught up in ${Math.round(ms)} ms (${via}).`, true, via);
}

function indicator(text, done, via) {
  const ryw = byId('ryw');
  ryw.textContent = text;
  ryw.classList.toggle('done', done);
  ryw.dataset.state = done ? 'caught-up' : 'waiting';
  ryw.dataset.via = via ?? '';
}

// The transfers on their way, from the portfolio, then kept current by the live frames.
function renderPending() {
  const pending = [...pendingTransfers.values()];
  const text = byId('pending-transfers');
  text.textContent = pending.length ? `Transfers on their way: ${pending.map((t) => `${money(t.amount)} ${t.currency} ${t.fromAccountId} → ${t.toAccountId}`).join('; ')}` : '';
  show(text, pending.length > 0);
}

function onTransfer(update) {
  transfersSeen.set(update.transferId, update);
  if (update.status === 'pending' && update.fromAccountId && accounts.has(update.fromAccountId)) pendingTransfers.set(update.transferId, update);
  else pendingTransfers.delete(update.transferId);
  renderPending();
  const waiter = transferWaiters.get(update.transferId);
  if (!waiter || update.status === 'pending') return;
  transferWaiters.delete(update.transferId);
  finishTransfer(waiter, update);
}

// A live frame normally says how the transfer ended; if none has come after a few seconds (the stream is down, or
// dropped between the answer and the end), the transfer is read, waiting for its end.
function awaitTransferEnd(transferId, waiter) {
  const session = signedIn;
  setTimeout(async () => {
    if (transferWaiters.get(transferId) !== waiter) return;
    try {
      const transfer = await api(`/api/transfers/${encodeURIComponent(transferId)}?waitMs=10000`);
      if (session !== signedIn || transferWaiters.get(transferId) !== waiter || transfer.status === 'pending') return;
      transferWaiters.delete(transferId);
      onTransfer(transfer);
      finishTransfer(waiter, transfer, 'read');
    } catch (error) {
      if (session === signedIn) notice(error);
    }
  }, fallbackAfterMs);
}

function finishTransfer(waiter, update, via = 'live update') {
  const ms = performance.now() - waiter.answeredAt;
  if (update.status === 'failed') {
    const error = byId('transfer-form-error');
    error.textContent = `Transfer ${update.transferId} failed: ${[update.code, update.reason].filter(Boolean).join(': ')}`;
    error.hidden = false;
  }

  indicator(`${waiter.label}: ${update.status} in ${Math.round(ms)} ms (${via}).`, true, via);
}

// The notice saying the live stream is refused, cleared once it opens (other notices are left alone).
function liveNotice(text) {
  const box = byId('notice');
  if (text) {
    box.textContent = text;
    box.dataset.source = 'live';
    box.hidden = false;
  } else if (box.dataset.source === 'live') {
    box.textContent = '';
    delete box.dataset.source;
    box.hidden = true;
  }
}

function notice(error) {
  const box = byId('notice');
  delete box.dataset.source;
  box.textContent = error instanceof ApiProblem ? [error.code, error.message].filter(Boolean).join(': ') : String(error?.message ?? error);
  box.hidden = false;
}

function requireAccount(accountId, form, field) {
  if (accountId) return true;
  showProblem(form, new ApiProblem(400, { errors: { [field]: ['Choose an account (open one first).'] } }));
  return false;
}

export function bindForms() {
  bindCommandForm(byId('open-form'), async (fields, key) => {
    const accepted = await api('/api/accounts', { method: 'POST', body: jsonBody({ currency: fields.currency.trim(), accountId: fields.accountId.trim() }), idempotencyKey: key });
    byId('open-account-id').value = '';
    awaitReadModel(`Open ${accepted.accountId}`, accepted);
  });

  for (const operation of ['deposit', 'withdraw']) {
    const form = byId(`${operation}-form`);
    bindCommandForm(form, async (fields, key) => {
      if (!requireAccount(fields.accountId, form, 'accountId')) return;
      const accepted = await api(`/api/accounts/${encodeURIComponent(fields.accountId)}/${operation}`, { method: 'POST', body: jsonBody({ amount: fields.amount.trim() }), idempotencyKey: key });
      byId(`${operation}-amount`).value = '';
      awaitReadModel(`${operation === 'deposit' ? 'Deposit' : 'Withdrawal'} of ${fields.amount.trim()} on ${accepted.accountId}`, accepted);
    });
  }

  const close = byId('close-form');
  bindCommandForm(close, async (fields, key) => {
    if (!requireAccount(fields.accountId, close, 'accountId')) return;
    const accepted = await api(`/api/accounts/${encodeURIComponent(fields.accountId)}/close`, { method: 'POST', idempotencyKey: key });
    awaitReadModel(`Close ${accepted.accountId}`, accepted);
  });

  const transfer = byId('transfer-form');
  bindCommandForm(transfer, async (fields, key) => {
    if (!requireAccount(fields.fromAccountId, transfer, 'fromAccountId')) return;
    const body = jsonBody({ fromAccountId: fields.fromAccountId, toAccountId: fields.toAccountId.trim(), amount: fields.amount.trim() });
    const accepted = await api('/api/transfers', { method: 'POST', body, idempotencyKey: key });
    byId('transfer-amount').value = '';
    const waiter = { label: `Transfer of ${fields.amount.trim()} from ${fields.fromAccountId} to ${fields.toAccountId.trim()}`, answeredAt: performance.now() };
    const seen = transfersSeen.get(accepted.transferId);
    if (seen && seen.status !== 'pending') {
      finishTransfer(waiter, seen);
    } else if (accepted.status !== 'pending') {
      finishTransfer(waiter, accepted); // A retry of a transfer that already ended: its answer says how.
    } else {
      transferWaiters.set(accepted.transferId, waiter);
      indicator(`${waiter.label}: accepted; waiting for it to complete…`, false);
      awaitTransferEnd(accepted.transferId, waiter);
    }
  });

  byId('statement-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const accountId = byId('statement-account').value;
    if (accountId) loadStatement(accountId);
  });
  byId('statement-older').addEventListener('click', () => loadStatement(statement.accountId, statement.next));
}

function newestStatementVersion() {
  return statement.entries.length ? statement.entries[0].version : 0;
}

let statementRead = 0;

async function loadStatement(accountId, beforeVersion) {
  const error = byId('statement-error');
  error.hidden = true;
  // A burst of live changes starts reads that may answer out of order: only the latest one is shown.
  const read = ++statementRead;
  try {
    const query = beforeVersion ? `?limit=20&beforeVersion=${beforeVersion}` : '?limit=20';
    const page = await api(`/api/accounts/${encodeURIComponent(accountId)}/statement${query}`);
    if (read !== statementRead) return; // a later read was started, or the customer signed out
    const older = beforeVersion && statement.accountId === accountId ? statement.entries : [];
    statement = { accountId, entries: beforeVersion ? [...older, ...page.entries] : page.entries, next: page.nextBeforeVersion ?? null };
    renderStatement();
  } catch (problem) {
    if (read !== statementRead) return;
    error.textContent = problem instanceof ApiProblem ? [problem.code, problem.message].filter(Boolean).join(': ') : String(problem);
    error.hidden = false;
  }
}

function renderStatement() {
  const table = byId('statement');
  table.dataset.accountId = statement.accountId;
  table.tBodies[0].replaceChildren(...statement.entries.map((entry) => {
    const tr = row([
      { text: entry.version, className: 'num' },
      time(entry.at),
      entry.kind,
      { text: money(entry.amount), className: 'num' },
      { text: money(entry.balanceAfter), className: 'num' },
      entry.by ?? '',
      entry.counterpartAccountId ?? '',
    ]);
    tr.dataset.version = String(entry.version);
    return tr;
  }));
  show(table, true);
  show(byId('statement-older'), statement.next !== null);
  show(byId('statement-figure'), true);
  // One step per entry, in order: entries often come in bursts, which a linear time axis would crush into one spot.
  // The axis ends say when the first and the last entry shown happened.
  const points = statement.entries.map((entry) => ({ x: entry.version, y: Number(entry.balanceAfter) }));
  const at = new Map(statement.entries.map((entry) => [entry.version, entry.at]));
  byId('balance-chart-caption').textContent = `Balance of ${statement.accountId} after each of the ${points.length} entries shown`;
  drawLines(byId('balance-chart'), [{ name: statement.accountId, points }], { formatX: (x) => time(at.get(x)), formatY: money, step: true });
}
