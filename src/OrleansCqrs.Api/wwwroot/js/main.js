// The page's entry point: reads how this front end signs people in (/page/config), then shows the sign-in, the
// customer's view or the operator's view, by the token's claims.
import * as session from './session.js';
import * as customer from './customer.js';
import * as operator from './operator.js';
import * as oidc from './oidc.js';
import { api, ApiProblem } from './api.js';
import { byId, show } from './dom.js';
import { clearErrors, showProblem } from './forms.js';

let config = null;
let current = null;

async function boot() {
  config = await (await fetch('/page/config', { cache: 'no-store' })).json();
  session.configure(config);
  session.onChange((reason) => route(reason));
  bindSignIn();
  customer.bindForms();
  operator.bindRebuilds();
  byId('sign-out').addEventListener('click', () => session.signOut());
  try {
    await oidc.complete(config);
  } catch (error) {
    notice(error.message);
  }

  route();
}

function route(reason) {
  current?.stop();
  current = null;
  const caller = session.caller();
  notice(reason);
  show(byId('sign-in'), !caller);
  show(byId('customer-view'), false);
  show(byId('operator-view'), false);
  show(byId('who'), !!caller);
  show(byId('sign-out'), !!caller);
  document.body.dataset.view = 'sign-in';
  if (!caller) {
    showSignInOptions();
    return;
  }

  if (caller.isOperator) {
    byId('who').textContent = `Operator ${caller.subject}`;
    current = operator;
    document.body.dataset.view = 'operator';
    show(byId('operator-view'), true);
    operator.start(caller, config.dashboard);
  } else if (caller.customerId) {
    byId('who').textContent = `Customer ${caller.customerId}`;
    current = customer;
    document.body.dataset.view = 'customer';
    show(byId('customer-view'), true);
    customer.start(caller);
  } else {
    byId('who').textContent = caller.subject;
    notice('This token acts for no customer and has no operator role: there is nothing it may see here.');
  }
}

function showSignInOptions() {
  show(byId('dev-sign-in'), config.developmentTokens);
  const provider = !!(config.authority && config.clientId);
  show(byId('oidc-sign-in'), provider);
  byId('oidc-text').textContent = provider ? `Sign in at ${config.authority}.` : '';
  show(byId('no-issuer'), !config.developmentTokens && !provider);
}

function bindSignIn() {
  const customerForm = byId('customer-sign-in');
  customerForm.addEventListener('submit', (event) => {
    event.preventDefault();
    devToken(customerForm, { customerId: byId('customer-id').value.trim() });
  });
  const operatorForm = byId('operator-sign-in');
  operatorForm.addEventListener('submit', (event) => {
    event.preventDefault();
    devToken(operatorForm, { roles: ['operator'] });
  });
  const tokenForm = byId('token-sign-in');
  tokenForm.addEventListener('submit', (event) => {
    event.preventDefault();
    clearErrors(tokenForm);
    try {
      session.signIn(byId('pasted-token').value.trim());
      byId('pasted-token').value = '';
    } catch (error) {
      showProblem(tokenForm, new ApiProblem(400, { errors: { token: [error.message] } }));
    }
  });
  byId('oidc-start').addEventListener('click', () => oidc.begin(config).catch((error) => notice(error.message)));
}

async function devToken(form, request) {
  clearErrors(form);
  try {
    const answer = await api('/api/dev/token', { method: 'POST', body: JSON.stringify(request) });
    session.signIn(answer.accessToken);
  } catch (error) {
    showProblem(form, error);
  }
}

function notice(text) {
  const box = byId('notice');
  box.textContent = text ?? '';
  show(box, !!text);
}

boot().catch((error) => notice(`The page could not start: ${error.message}`));
