// The signed-in caller: its bearer token lives in sessionStorage (gone when the tab closes, never in a URL), and what
// the page shows depends on the token's claims. The claims are read, not verified: the API verifies every request.

const tokenKey = 'orleanscqrs.token';
let config = { customerClaim: 'customer_id', roleClaim: 'role' };
const listeners = new Set();

export function configure(pageConfig) {
  config = pageConfig;
}

export function token() {
  return sessionStorage.getItem(tokenKey);
}

export function signIn(accessToken) {
  const claims = decode(accessToken);
  if (!claims) throw new Error('This is not a JSON Web Token.');
  sessionStorage.setItem(tokenKey, accessToken);
  notify();
}

export function signOut(reason) {
  sessionStorage.removeItem(tokenKey);
  notify(reason);
}

/** Who the token acts for: a customer id, whether it is an operator, and when it expires (ms since the epoch). */
export function caller() {
  const claims = decode(token());
  if (!claims) return null;
  const roles = [].concat(claims[config.roleClaim] ?? []);
  const expiresAt = typeof claims.exp === 'number' ? claims.exp * 1000 : null;
  if (expiresAt !== null && expiresAt <= Date.now()) return null;
  return {
    subject: claims.sub ?? '',
    customerId: claims[config.customerClaim] ?? null,
    isOperator: roles.includes('operator'),
    expiresAt,
  };
}

export function onChange(listener) {
  listeners.add(listener);
}

function notify(reason) {
  for (const listener of listeners) listener(reason);
}

function decode(jwt) {
  if (!jwt) return null;
  const parts = jwt.split('.');
  if (parts.length !== 3) return null;
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}
