// Calls to the API with the caller's token. Every refusal is a ProblemDetails (RFC 9457) with a stable `code`; a
// validation problem adds `errors`, field name → messages.
import * as session from './session.js';

export class ApiProblem extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `The API answered ${status}.`);
    this.status = status;
    this.problem = problem ?? {};
  }

  get code() {
    return this.problem.code ?? null;
  }

  get fieldErrors() {
    return this.problem.errors ?? {};
  }
}

export async function api(path, { method = 'GET', body, idempotencyKey, signal } = {}) {
  const headers = { Accept: 'application/json' };
  const bearer = session.token();
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  let response;
  try {
    response = await fetch(path, { method, headers, body, signal, cache: 'no-store' });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiProblem(0, { title: 'The front end could not be reached.', detail: 'The front end could not be reached; try again (the same request is safe to send twice).' });
  }

  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = { detail: text };
    }
  }

  if (!response.ok) {
    if (response.status === 401 && bearer) session.signOut('Your session ended: sign in again.');
    throw new ApiProblem(response.status, data);
  }

  return data;
}

/** A fresh Idempotency-Key: 128 random bits (getRandomValues works on plain http too, unlike randomUUID). */
export function newIdempotencyKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * A JSON body with an amount as the user typed it: a number literal when it is one, so that 10.10 reaches the
 * server as the decimal 10.10 (not a float's rounding); otherwise the text as it is, for the server to refuse by name.
 */
export function jsonBody(fields) {
  const parts = [];
  for (const [name, value] of Object.entries(fields)) {
    if (value === undefined || value === null || value === '') continue;
    const literal = name === 'amount' && /^-?\d+(\.\d+)?$/.test(value) ? value : JSON.stringify(value);
    parts.push(`${JSON.stringify(name)}:${literal}`);
  }
  return `{${parts.join(',')}}`;
}
