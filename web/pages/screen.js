// Screening: one name → hits with their explanation, each with a "Record
// decision" form; a file of names → a background job with progress → one
// row per input row.
import { useState } from '../vendor/hooks.mjs';
import { html } from '../vendor/htm-preact.mjs';
import { api, withQuery } from '../api.js';
import { basename, Citation, JobProgress, Name, Problem, Score, useUploadJob } from '../components.js';

const DECISION_STATUSES = ['false-positive', 'confirmed', 'accepted-risk', 'mitigated', 'not-applicable'];

export function ScreenPage() {
  return html`<div class="page">
    <${SingleScreen} />
    <${BatchScreen} />
  </div>`;
}

function SingleScreen() {
  const [form, setForm] = useState({ name: '', country: '', type: '', threshold: '0.80' });
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (key) => (e) => setForm({ ...form, [key]: e.currentTarget.value });
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { name: form.name, threshold: Number(form.threshold) };
      if (form.country.trim()) body.country = form.country.trim();
      if (form.type) body.type = form.type;
      setResult(await api('screen', { method: 'POST', json: body }));
    } catch (err) {
      setResult(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<section aria-labelledby="single-heading">
    <h2 id="single-heading">Screen a name</h2>
    <form class="grid-form" onSubmit=${submit}>
      <label for="screen-name">Name</label>
      <input id="screen-name" dir="auto" required value=${form.name} onInput=${set('name')} />
      <label for="screen-country">Country (optional)</label>
      <input id="screen-country" placeholder="CN, Russia, …" value=${form.country} onInput=${set('country')} />
      <label for="screen-type">Type (optional)</label>
      <select id="screen-type" value=${form.type} onChange=${set('type')}>
        <option value="">any</option>
        <option value="organization">organization</option>
        <option value="person">person</option>
      </select>
      <label for="screen-threshold">Threshold</label>
      <input id="screen-threshold" type="number" min="0" max="1" step="0.01" value=${form.threshold}
             onInput=${set('threshold')} />
      <div class="actions"><button type="submit" disabled=${busy}>Screen</button></div>
    </form>
    <${Problem} error=${error} />
    ${result ? html`<${Hits} result=${result} />` : null}
  </section>`;
}

function Hits({ result }) {
  const hits = result.hits || [];
  const query = result.query || {};
  if (!hits.length) {
    return html`<p class="empty" role="status">No hits for <${Name} text=${query.name} />.</p>`;
  }
  return html`<table class="hits">
    <caption>
      ${hits.length} ${hits.length === 1 ? 'hit' : 'hits'} for <${Name} text=${query.name} />
    </caption>
    <thead>
      <tr><th scope="col">Name</th><th scope="col">Matched name</th><th scope="col">Score</th>
        <th scope="col">List</th><th scope="col">Program</th><th scope="col">Source id</th>
        <th scope="col">Citation</th></tr>
    </thead>
    ${hits.map((h, i) => html`<${HitRows} key=${h.entity_id} hit=${h} query=${query} index=${i} />`)}
  </table>`;
}

function HitRows({ hit, query }) {
  const list = hit.list || basename(hit.source);
  const citations = hit.citations || [];
  return html`<tbody class="hit">
    <tr>
      <${Name} tag="td" text=${hit.name} />
      <${Name} tag="td" text=${hit.matched_name} />
      <td class="num"><${Score} value=${hit.score} /></td>
      <td>${list}</td>
      <td>${hit.program || ''}</td>
      <td><code>${hit.source_id || hit.entity_id}</code></td>
      <td>${citations.map((c, i) => html`${i ? html`<br />` : ''}<${Citation} citation=${c} />`)}</td>
    </tr>
    <tr class="detail-row">
      <td colspan="7">
        <details>
          <summary>Why ${hit.score.toFixed(3)}: explanation</summary>
          <${Explanation} explanation=${hit.explanation} />
        </details>
        <${DecisionForm} hit=${hit} query=${query} />
      </td>
    </tr>
  </tbody>`;
}

export function Explanation({ explanation }) {
  if (!explanation) return null;
  const rows = explanation.alignment || [];
  const adjustments = explanation.adjustments || [];
  return html`<div class="explanation">
    <p>Name score <${Score} value=${explanation.name_score} />, final score <${Score} value=${explanation.score} /></p>
    <table class="alignment">
      <caption>Aligned tokens</caption>
      <thead><tr><th scope="col">Query token</th><th scope="col">List token</th><th scope="col">Similarity</th>
        <th scope="col">Weight</th><th scope="col">Contribution</th><th scope="col">How</th></tr></thead>
      <tbody>
        ${rows.map((t, i) => html`<tr key=${i}>
          <${Name} tag="td" text=${t.query_token || '–'} />
          <${Name} tag="td" text=${t.list_token || '–'} />
          <td class="num">${t.similarity.toFixed(3)}</td>
          <td class="num">${t.weight.toFixed(3)}</td>
          <td class="num">${(t.contribution >= 0 ? '+' : '') + t.contribution.toFixed(3)}</td>
          <td>${t.how}</td>
        </tr>`)}
      </tbody>
    </table>
    ${adjustments.length ? html`<table class="adjustments">
      <caption>Adjustments</caption>
      <thead><tr><th scope="col">Factor</th><th scope="col">Delta</th><th scope="col">Detail</th></tr></thead>
      <tbody>
        ${adjustments.map((a, i) => html`<tr key=${i}>
          <td>${a.factor}</td><td class="num">${(a.delta >= 0 ? '+' : '') + a.delta.toFixed(3)}</td><td>${a.detail}</td>
        </tr>`)}
      </tbody>
    </table>` : null}
  </div>`;
}

// POST /api/v1/decisions (reviewer role); a lower role gets the 403 shown.
function DecisionForm({ hit, query }) {
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({ status: 'false-positive', reason: '', expires_on: '' });
  const [saved, setSaved] = useState(null);
  const [error, setError] = useState(null);
  const id = `decision-${hit.entity_id}`.replace(/[^A-Za-z0-9_-]/g, '-');
  const set = (key) => (e) => setForm({ ...form, [key]: e.currentTarget.value });
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    try {
      const body = { entity_id: hit.entity_id, query: query.name, status: form.status, reason: form.reason };
      if (form.expires_on) body.expires_on = form.expires_on;
      setSaved(await api('decisions', { method: 'POST', json: body }));
    } catch (err) {
      setError(err);
    }
  };
  if (!open) {
    return html`<button type="button" class="secondary" onClick=${() => setOpen(true)}>Record decision</button>`;
  }
  return html`<form class="decision grid-form" onSubmit=${submit} aria-label=${`Decision on ${hit.name}`}>
    <label for=${`${id}-status`}>Decision</label>
    <select id=${`${id}-status`} value=${form.status} onChange=${set('status')}>
      ${DECISION_STATUSES.map((s) => html`<option value=${s}>${s}</option>`)}
    </select>
    <label for=${`${id}-reason`}>Reason</label>
    <input id=${`${id}-reason`} required value=${form.reason} onInput=${set('reason')} />
    <label for=${`${id}-expires`}>Expires (optional)</label>
    <input id=${`${id}-expires`} type="date" value=${form.expires_on} onInput=${set('expires_on')} />
    <div class="actions">
      <button type="submit">Save decision</button>
      <button type="button" class="secondary" onClick=${() => setOpen(false)}>Cancel</button>
    </div>
    ${saved ? html`<p class="ok" role="status">Recorded ${saved.status} (<code>${saved.id}</code>) by ${saved.decided_by}.</p>` : null}
    <${Problem} error=${error} label="Decision not recorded" />
  </form>`;
}

function BatchScreen() {
  const [file, setFile] = useState(null);
  const [threshold, setThreshold] = useState('0.80');
  const [onlyHits, setOnlyHits] = useState(false);
  const { job, error, busy, run } = useUploadJob();
  const submit = (e) => {
    e.preventDefault();
    if (!file) return;
    run(withQuery('screen/batch', { filename: file.name, threshold }), file, 'Job failed');
  };
  const results = job && job.state === 'done' ? job.result || [] : null;
  const shown = results ? results.filter((r) => !onlyHits || r.hits.length) : [];
  return html`<section aria-labelledby="batch-heading">
    <h2 id="batch-heading">Screen a file</h2>
    <p class="hint">
      CSV with a <code>name</code> column (and optionally <code>country</code>, <code>type</code>,${' '}
      <code>identifiers</code>, <code>birth_date</code>), or JSON Lines with the same keys.
    </p>
    <form class="grid-form" onSubmit=${submit}>
      <label for="batch-file">File</label>
      <input id="batch-file" type="file" accept=".csv,.tsv,.jsonl,.ndjson,text/csv"
             onChange=${(e) => setFile(e.currentTarget.files[0] || null)} />
      <label for="batch-threshold">Threshold</label>
      <input id="batch-threshold" type="number" min="0" max="1" step="0.01" value=${threshold}
             onInput=${(e) => setThreshold(e.currentTarget.value)} />
      <div class="actions"><button type="submit" disabled=${busy || !file}>Screen file</button></div>
    </form>
    <${Problem} error=${error} />
    <${JobProgress} job=${job} label="Batch" />
    ${job && job.warnings ? html`<ul class="warnings">${job.warnings.map((w) => html`<li>${w}</li>`)}</ul>` : null}
    ${results ? html`<div class="batch-results">
      <p role="status">${results.length} rows screened, ${results.filter((r) => r.hits.length).length} with hits.</p>
      <label class="inline"><input type="checkbox" checked=${onlyHits}
        onChange=${(e) => setOnlyHits(e.currentTarget.checked)} /> Only rows with hits</label>
      <table class="batch">
        <caption>Batch results</caption>
        <thead><tr><th scope="col">Row</th><th scope="col">Name</th><th scope="col">Hits</th>
          <th scope="col">Best hit</th><th scope="col">Score</th><th scope="col">List</th></tr></thead>
        <tbody>
          ${shown.map((r) => {
            const best = r.hits[0];
            return html`<tr key=${r.row} class=${r.hits.length ? 'has-hits' : ''}>
              <td class="num">${r.row}</td>
              <${Name} tag="td" text=${r.query.name} />
              <td class="num">${r.hits.length}</td>
              ${best ? html`<${Name} tag="td" text=${best.name} />` : html`<td></td>`}
              <td class="num">${best ? html`<${Score} value=${best.score} />` : ''}</td>
              <td>${best ? best.list || basename(best.source) : ''}</td>
            </tr>`;
          })}
        </tbody>
      </table>
    </div>` : null}
  </section>`;
}
