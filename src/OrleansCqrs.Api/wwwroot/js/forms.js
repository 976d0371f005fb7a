// Command forms: one Idempotency-Key per submitted content (a double click, or a retry after a network error or a 503,
// sends the same key, so the command runs once), and a refusal shown where it belongs: a validation problem's
// `errors` next to their fields (aria-invalid + the field's error text, which aria-describedby already names), any
// other problem (its `code` and `detail`) under the form.
import { ApiProblem, newIdempotencyKey } from './api.js';
import { byId } from './dom.js';

export function bindCommandForm(form, submit) {
  form.addEventListener('input', () => delete form.dataset.idempotencyKey);
  form.addEventListener('change', () => delete form.dataset.idempotencyKey);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const button = form.querySelector('button[type="submit"]');
    if (button.disabled) return;
    clearErrors(form);
    form.dataset.idempotencyKey ??= newIdempotencyKey();
    button.disabled = true;
    try {
      await submit(Object.fromEntries(new FormData(form)), form.dataset.idempotencyKey);
      delete form.dataset.idempotencyKey;
    } catch (error) {
      // An answer (even a refusal) ends the key's use; no answer keeps it, so that trying again is safe.
      if (error instanceof ApiProblem && error.status >= 400 && error.status < 500) delete form.dataset.idempotencyKey;
      showProblem(form, error);
    } finally {
      button.disabled = false;
    }
  });
}

export function clearErrors(form) {
  for (const field of form.querySelectorAll('[aria-invalid]')) field.removeAttribute('aria-invalid');
  for (const message of form.querySelectorAll('.field-error, .form-error')) {
    message.textContent = '';
    message.hidden = true;
  }
}

export function showProblem(form, error) {
  const problem = error instanceof ApiProblem ? error.problem : { detail: String(error?.message ?? error) };
  const unplaced = [];
  for (const [name, messages] of Object.entries(problem.errors ?? {})) {
    const field = form.elements.namedItem(name);
    const text = [].concat(messages).join(' ');
    if (field instanceof HTMLElement && field.id && byId(`${field.id}-error`)) {
      field.setAttribute('aria-invalid', 'true');
      const message = byId(`${field.id}-error`);
      message.textContent = text;
      message.hidden = false;
    } else {
      unplaced.push(text);
    }
  }

  const summary = form.querySelector('.form-error');
  const hasFieldErrors = Object.keys(problem.errors ?? {}).length > unplaced.length;
  const lines = [];
  if (!hasFieldErrors || unplaced.length > 0) {
    lines.push([problem.code, problem.detail ?? problem.title].filter(Boolean).join(': '));
  }
  lines.push(...unplaced);
  if (summary && lines.some((line) => line)) {
    summary.textContent = lines.filter(Boolean).join(' ');
    summary.hidden = false;
    summary.dataset.code = problem.code ?? '';
  }

  const firstInvalid = form.querySelector('[aria-invalid="true"]');
  if (firstInvalid) firstInvalid.focus();
}
