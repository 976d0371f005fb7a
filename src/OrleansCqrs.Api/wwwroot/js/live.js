// GET /api/live read with fetch() rather than EventSource, because EventSource cannot send the Authorization header
// and the token must never travel in a URL. The stream is parsed as Server-Sent Events: frames end with a blank line,
// `event:` names the frame (`account`, `transfer`), `data:` lines carry its JSON, lines starting with `:` are comments
// (the server's "connected" and heartbeats). When the stream drops (a restart, a network blip, the token's expiry ends
// it by design) it reconnects with backoff; the feed replays nothing, so `onOpen` tells the view to read afresh.
import * as session from './session.js';
import { sleep } from './dom.js';

export function follow(path, { onFrame, onOpen, onState, onRefused }) {
  const controller = new AbortController();
  let stopped = false;

  async function run() {
    let delay = 250;
    let opened = 0;
    while (!stopped) {
      try {
        const bearer = session.token();
        if (!bearer || !session.caller()) {
          session.signOut('Your session ended: sign in again.');
          return;
        }

        const response = await fetch(path, {
          headers: { Accept: 'text/event-stream', Authorization: `Bearer ${bearer}` },
          signal: controller.signal,
          cache: 'no-store',
        });
        if (response.status === 401) {
          session.signOut('Your session ended: sign in again.');
          return;
        }

        if (response.ok && response.body) {
          onState('live');
          onOpen(opened++ > 0);
          delay = 250;
          await readFrames(response.body, onFrame);
        } else if (!response.ok) {
          // Refused (too many listeners, the directory behind, the server busy): the view is told why, and the next
          // try waits at least as long as the server asked.
          const problem = await response.json().catch(() => ({}));
          onRefused?.({ status: response.status, code: problem.code, detail: problem.detail ?? problem.title });
          const asked = Number(response.headers.get('Retry-After'));
          if (asked > 0) delay = Math.max(delay, Math.min(asked * 1000, 60000));
        }
      } catch (error) {
        if (stopped || error.name === 'AbortError') return;
      }

      if (stopped) return;
      onState('reconnecting');
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 10000);
    }
  }

  run();
  return {
    stop() {
      stopped = true;
      controller.abort();
      onState('offline');
    },
  };
}

async function readFrames(body, onFrame) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = parseFrame(buffer.slice(0, end));
      buffer = buffer.slice(end + 2);
      if (frame) onFrame(frame.event, frame.data);
    }
  }
}

export function parseFrame(text) {
  let event = 'message';
  const data = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }

  if (data.length === 0) return null;
  try {
    return { event, data: JSON.parse(data.join('\n')) };
  } catch {
    return null;
  }
}
