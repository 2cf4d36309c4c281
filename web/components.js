// Small pieces shared by the pages.
import { useEffect, useRef, useState } from './vendor/hooks.mjs';
import { html } from './vendor/htm-preact.mjs';
import { api, pollJob } from './api.js';

// A function telling whether the component has gone (the user left the
// page), so a job being polled stops being polled.
export function useGone() {
  const gone = useRef(false);
  useEffect(() => () => {
    gone.current = true;
  }, []);
  return () => gone.current;
}

// A file uploaded as a background job: run(path, file, failedTitle) posts
// the file to /api/v1/<path>, follows the job until it ends or the page is
// left, and keeps the job, the error (a problem, or the job's own failure
// under failedTitle) and whether it is busy.
export function useUploadJob() {
  const [job, setJob] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const gone = useGone();
  const run = async (path, file, failedTitle) => {
    setBusy(true);
    setError(null);
    setJob(null);
    try {
      const queued = await api(path, { method: 'POST', body: file, contentType: 'application/octet-stream' });
      const done = await pollJob(queued.id, setJob, gone);
      if (done && done.state === 'failed') setError({ problem: { title: failedTitle, detail: done.error } });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return { job, error, setError, busy, run };
}

// An RFC 9457 problem document, announced to screen readers.
export function Problem({ error, label }) {
  if (!error) return null;
  const p = error.problem || { title: 'Error', detail: String((error && error.message) || error) };
  return html`<div class="problem" role="alert">
    <p class="problem-title">
      ${label ? html`${label}: ` : ''}<strong>${p.status ? `${p.status} ` : ''}${p.title || 'Error'}</strong>
    </p>
    ${p.detail ? html`<p class="problem-detail">${p.detail}</p>` : null}
    ${p.instance ? html`<p class="problem-instance"><code>${p.instance}</code></p>` : null}
  </div>`;
}

// A BCP 47 tag for the script a name is written in, so the browser picks the
// right fonts (Han characters differ between Chinese and Japanese); null for
// Latin and unknown scripts (the page's English applies).
export function langOf(text) {
  if (!text) return null;
  if (/[\u3040-\u30ff]/u.test(text)) return 'ja';
  if (/[\uac00-\ud7af\u1100-\u11ff]/u.test(text)) return 'ko';
  if (/\p{Script=Han}/u.test(text)) return 'zh';
  if (/\p{Script=Arabic}/u.test(text)) return 'und-Arab';
  if (/\p{Script=Cyrillic}/u.test(text)) return 'und-Cyrl';
  if (/\p{Script=Hebrew}/u.test(text)) return 'und-Hebr';
  return null;
}

// A name from the data: its own direction (Arabic runs right to left) and
// language tag.
export function Name({ text, tag = 'span' }) {
  const lang = langOf(text);
  if (tag === 'td') return html`<td class="name" dir="auto" lang=${lang}>${text}</td>`;
  return html`<span class="name" dir="auto" lang=${lang}>${text}</span>`;
}

export function Score({ value }) {
  if (typeof value !== 'number') return null;
  return html`<span class="score">${value.toFixed(3)}</span>`;
}

export function Outcome({ value }) {
  if (!value) return null;
  const cls = String(value).replace(/[^a-z_-]/gi, '');
  return html`<span class=${`outcome outcome-${cls}`}>${String(value).replace(/_/g, ' ')}</span>`;
}

export function JobProgress({ job, label }) {
  if (!job) return null;
  const done = (job.progress && job.progress.done) || 0;
  const total = (job.progress && job.progress.total) || 0;
  return html`<div class="job">
    <label>
      ${label || 'Progress'} (${job.state}${total ? `, ${done} of ${total}` : ''})
      <progress max=${total || 1} value=${total ? done : job.state === 'done' ? 1 : 0}></progress>
    </label>
  </div>`;
}

// A citation: its text, a link when it has a URL, and its verification tag
// (V verified in the text, S secondary source, M not verified).
export function Citation({ citation }) {
  if (!citation) return null;
  if (typeof citation === 'string') return html`<span class="citation">${citation}</span>`;
  const text = citation.text || citation.citation || '';
  const v = citation.verification;
  return html`<span class="citation">
    ${citation.url ? html`<a href=${citation.url} rel="noopener noreferrer" target="_blank">${text}</a>` : text}
    ${v ? html` <abbr class="verification" title=${verificationTitle(v)}>[${v}]</abbr>` : null}
  </span>`;
}

export function verificationTitle(v) {
  return { V: 'verified in the text', S: 'secondary source', M: 'not verified' }[v] || v;
}

export function basename(path) {
  if (!path) return '';
  const i = String(path).lastIndexOf('/');
  return i >= 0 ? String(path).slice(i + 1) : String(path);
}

export function percent(x) {
  if (typeof x !== 'number') return '';
  return `${(x * 100).toFixed(x * 100 >= 10 || x === 0 ? 0 : 1)}%`;
}
