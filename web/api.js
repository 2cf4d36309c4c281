// The REST API from the browser: every request carries the token from
// sessionStorage as a bearer token; every error becomes a ProblemError
// holding the server's RFC 9457 problem document (or one made up for a
// network failure), which the pages show with <Problem>.

const TOKEN_KEY = 'icts.token';

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

export class ProblemError extends Error {
  constructor(problem) {
    super(problem.detail || problem.title || 'request failed');
    this.problem = problem;
  }
}

async function problemFrom(response) {
  const text = await response.text();
  const type = response.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try {
      const p = JSON.parse(text);
      if (p && typeof p === 'object') return p;
    } catch (e) {
      // Not JSON after all: fall through.
    }
  }
  return { title: response.statusText || 'Error', status: response.status, detail: text.slice(0, 500) };
}

// Calls /api/v1/<path>. Options: method, json (sent as JSON), body (sent as
// is, with contentType), token (default: the stored one), as ('json' |
// 'text' | 'blob'; default by Content-Type). Resolves to the body; rejects
// with ProblemError.
export async function api(path, options = {}) {
  const { method = 'GET', json, body, contentType, token = getToken(), as } = options;
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  let payload;
  if (json !== undefined) {
    payload = JSON.stringify(json);
    headers['Content-Type'] = 'application/json';
  } else if (body !== undefined) {
    payload = body;
    headers['Content-Type'] = contentType || 'application/octet-stream';
  }
  let response;
  try {
    response = await fetch(`api/v1/${path}`, { method, headers, body: payload, cache: 'no-store' });
  } catch (e) {
    throw new ProblemError({ title: 'Network error', status: 0, detail: String((e && e.message) || e) });
  }
  if (!response.ok) throw new ProblemError(await problemFrom(response));
  if (as === 'blob') return response.blob();
  if (as === 'text') return response.text();
  const type = response.headers.get('Content-Type') || '';
  return type.includes('json') ? response.json() : response.text();
}

// Adds query parameters to a path, leaving out empty values.
export function withQuery(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '') q.append(k, String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Polls /api/v1/jobs/<id> until the job is done or failed, calling
// onProgress(job) after each look. Resolves to the finished job (state
// "done" or "failed"); stops early, resolving to null, when
// isCancelled() turns true.
export async function pollJob(id, onProgress, isCancelled = () => false) {
  let wait = 150;
  for (;;) {
    if (isCancelled()) return null;
    const job = await api(`jobs/${encodeURIComponent(id)}`);
    onProgress(job);
    if (job.state === 'done' || job.state === 'failed') return job;
    await sleep(wait);
    wait = Math.min(wait * 1.5, 1000);
  }
}

// Saves a Blob as a file through a temporary link (no inline script needed).
export function saveBlob(blob, filename) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
