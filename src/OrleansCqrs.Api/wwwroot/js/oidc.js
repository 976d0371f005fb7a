// OpenID Connect sign-in for a front end with an authority (OrleansCqrs:Auth:Authority) and a client id
// (OrleansCqrs:Web:ClientId): the authorization-code flow with PKCE, in the page, without a client secret. The code
// comes back in the URL (that is the protocol) and is removed from it at once; the token goes to sessionStorage only.
import * as session from './session.js';

const pendingKey = 'orleanscqrs.oidc';
const redirectUri = () => `${location.origin}${location.pathname}`;

function base64Url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const random = (length) => base64Url(crypto.getRandomValues(new Uint8Array(length)));

export async function begin(config) {
  if (!crypto.subtle) throw new Error('Signing in with a provider needs https (or localhost): the browser offers no hashing on plain http.');
  const discovery = await (await fetch(`${config.authority.replace(/\/$/, '')}/.well-known/openid-configuration`)).json();
  const verifier = random(32);
  const challenge = base64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  const state = random(16);
  sessionStorage.setItem(pendingKey, JSON.stringify({ verifier, state, tokenEndpoint: discovery.token_endpoint }));
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: config.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  location.assign(`${discovery.authorization_endpoint}?${query}`);
}

/** Finishes a sign-in the provider redirected back from; false when this page load is not such a return. */
export async function complete(config) {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) return false;
  history.replaceState(null, '', redirectUri());
  const pending = JSON.parse(sessionStorage.getItem(pendingKey) ?? 'null');
  sessionStorage.removeItem(pendingKey);
  if (params.has('error')) throw new Error(`The provider refused the sign-in: ${params.get('error_description') ?? params.get('error')}`);
  if (!pending || pending.state !== params.get('state')) throw new Error('This sign-in was not started here (its state does not match): sign in again.');
  const response = await fetch(pending.tokenEndpoint, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: params.get('code'), redirect_uri: redirectUri(), client_id: config.clientId, code_verifier: pending.verifier }),
  });
  const tokens = await response.json();
  if (!response.ok || !tokens.access_token) throw new Error(`The provider gave no token: ${tokens.error_description ?? tokens.error ?? response.status}`);
  session.signIn(tokens.access_token);
  return true;
}
