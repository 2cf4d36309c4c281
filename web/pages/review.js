// Review: a transaction from a form or as JSON → the determination with its
// outcome, findings, trace and citations (POST /api/v1/review).
import { useState } from '../vendor/hooks.mjs';
import { html } from '../vendor/htm-preact.mjs';
import { api, withQuery } from '../api.js';
import { Citation, Name, Outcome, Problem } from '../components.js';

const ACTIVITIES = ['acquisition', 'importation', 'transfer', 'installation', 'dealing-in', 'use'];
const ROLES = ['supplier', 'manufacturer', 'developer', 'provider', 'service-provider', 'seller', 'licensor',
  'designer', 'broker', 'intermediary', 'buyer', 'acquirer', 'end-user', 'importer', 'transferor', 'integrator'];
const KINDS = ['hardware', 'software', 'service'];

const EXAMPLE = {
  id: 'example-router-purchase',
  date: '2025-06-01',
  activity: 'acquisition',
  us_jurisdiction: true,
  foreign_interest: true,
  item: { kind: 'hardware', description: 'Core routers for a regional network', tags: ['router'] },
  parties: [
    { id: 'buyer', role: 'buyer', name: 'Prairie Telecom Cooperative', type: 'organization',
      countries: [{ code: 'US', role: 'incorporation' }], us_person: true },
    { id: 'maker', role: 'manufacturer', name: 'Huawei Technologies Co., Ltd.', type: 'organization',
      countries: [{ code: 'CN', role: 'incorporation' }] },
  ],
};

function today() {
  return new Date().toISOString().slice(0, 10);
}

function emptyParty(role) {
  return { name: '', role, country: '', type: 'organization' };
}

// The form's fields as a transaction in the `icts review` input format.
function transactionFromForm(f) {
  const tx = {
    id: f.id || 'ui-review',
    date: f.date,
    activity: f.activity,
    us_jurisdiction: true,
    foreign_interest: true,
    item: { kind: f.kind, description: f.description },
    parties: f.parties.filter((p) => p.name.trim()).map((p, i) => {
      const party = { id: `p${i + 1}`, role: p.role, name: p.name.trim(), type: p.type };
      if (p.country.trim()) party.countries = [{ code: p.country.trim().toUpperCase(), role: 'incorporation' }];
      return party;
    }),
  };
  if (f.product.trim()) tx.item.product = f.product.trim();
  const tags = f.tags.split(',').map((t) => t.trim()).filter(Boolean);
  if (tags.length) tx.item.tags = tags;
  return tx;
}

export function ReviewPage() {
  const [mode, setMode] = useState('form');
  const [form, setForm] = useState({
    id: '', date: today(), activity: 'acquisition', kind: 'hardware', description: '', product: '', tags: '',
    parties: [emptyParty('supplier'), emptyParty('buyer')],
  });
  const [text, setText] = useState(JSON.stringify(EXAMPLE, null, 2));
  const [record, setRecord] = useState(false);
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (key) => (e) => setForm({ ...form, [key]: e.currentTarget.value });
  const setParty = (i, key) => (e) => {
    const parties = form.parties.map((p, j) => (j === i ? { ...p, [key]: e.currentTarget.value } : p));
    setForm({ ...form, parties });
  };
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const path = withQuery('review', { record: record ? 'true' : '' });
      // The JSON is sent as written: the server says what is wrong with it.
      const body = mode === 'json' ? text : JSON.stringify(transactionFromForm(form));
      setResult(await api(path, { method: 'POST', body, contentType: 'application/json' }));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<div class="page">
    <div class="tabs" role="group" aria-label="Input">
      <button type="button" aria-pressed=${mode === 'form'} onClick=${() => setMode('form')}>Form</button>
      <button type="button" aria-pressed=${mode === 'json'} onClick=${() => setMode('json')}>JSON</button>
    </div>
    <form onSubmit=${submit} class="review-form">
      ${mode === 'form' ? html`<fieldset class="grid-form">
        <legend>Transaction</legend>
        <label for="rv-id">Id</label>
        <input id="rv-id" value=${form.id} placeholder="ui-review" onInput=${set('id')} />
        <label for="rv-date">Date</label>
        <input id="rv-date" type="date" required value=${form.date} onInput=${set('date')} />
        <label for="rv-activity">Activity</label>
        <select id="rv-activity" value=${form.activity} onChange=${set('activity')}>
          ${ACTIVITIES.map((a) => html`<option value=${a}>${a}</option>`)}
        </select>
        <label for="rv-kind">Item kind</label>
        <select id="rv-kind" value=${form.kind} onChange=${set('kind')}>
          ${KINDS.map((k) => html`<option value=${k}>${k}</option>`)}
        </select>
        <label for="rv-description">Item description</label>
        <input id="rv-description" required value=${form.description} onInput=${set('description')} />
        <label for="rv-product">Product (optional)</label>
        <input id="rv-product" value=${form.product} onInput=${set('product')} />
        <label for="rv-tags">Tags (comma-separated)</label>
        <input id="rv-tags" value=${form.tags} placeholder="router, sector-healthcare" onInput=${set('tags')} />
      </fieldset>
      ${form.parties.map((p, i) => html`<fieldset class="grid-form party" key=${i}>
        <legend>Party ${i + 1}</legend>
        <label for=${`rv-p${i}-name`}>Name</label>
        <input id=${`rv-p${i}-name`} dir="auto" value=${p.name} onInput=${setParty(i, 'name')} />
        <label for=${`rv-p${i}-role`}>Role</label>
        <select id=${`rv-p${i}-role`} value=${p.role} onChange=${setParty(i, 'role')}>
          ${ROLES.map((r) => html`<option value=${r}>${r}</option>`)}
        </select>
        <label for=${`rv-p${i}-country`}>Country (ISO code)</label>
        <input id=${`rv-p${i}-country`} maxlength="9" value=${p.country} onInput=${setParty(i, 'country')} />
        <label for=${`rv-p${i}-type`}>Type</label>
        <select id=${`rv-p${i}-type`} value=${p.type} onChange=${setParty(i, 'type')}>
          <option value="organization">organization</option>
          <option value="person">person</option>
        </select>
      </fieldset>`)}
      <div class="actions">
        <button type="button" class="secondary"
                onClick=${() => setForm({ ...form, parties: [...form.parties, emptyParty('supplier')] })}>
          Add party</button>
      </div>` : html`<div class="json-input">
        <label for="rv-json">Transaction (JSON, the <code>icts review</code> input format)</label>
        <textarea id="rv-json" rows="18" spellcheck="false" value=${text}
                  onInput=${(e) => setText(e.currentTarget.value)}></textarea>
        <div class="actions">
          <button type="button" class="secondary" onClick=${() => setText(JSON.stringify(EXAMPLE, null, 2))}>
            Load example</button>
          <button type="button" class="secondary"
                  onClick=${() => setText(JSON.stringify(transactionFromForm(form), null, 2))}>From the form</button>
        </div>
      </div>`}
      <label class="inline"><input type="checkbox" checked=${record}
        onChange=${(e) => setRecord(e.currentTarget.checked)} /> Record the determination in the store</label>
      <div class="actions"><button type="submit" disabled=${busy}>Review</button></div>
    </form>
    <${Problem} error=${error} label="Review failed" />
    ${result ? html`<${Determination} d=${result} />` : null}
  </div>`;
}

export function Determination({ d }) {
  const parties = d.parties || [];
  const partyName = (id) => (parties.find((p) => p.id === id) || {}).name || id;
  return html`<section class="determination" aria-labelledby="det-heading">
    <h2 id="det-heading">Determination <code>${d.id}</code></h2>
    <p class="verdict" role="status">Outcome: <${Outcome} value=${d.outcome} />
      ${' '}Covered: <strong>${d.covered === null || d.covered === undefined ? 'unknown' : d.covered ? 'yes' : 'no'}</strong>
      ${d.weakest_verification ? html`; weakest verification <strong>${d.weakest_verification}</strong>` : null}
      ${d.stored_id ? html`; stored as <code>${d.stored_id}</code>` : null}
    </p>
    ${d.determining && d.determining.length ? html`<p>Determined by ${d.determining.map((r, i) => html`${i ? ', ' : ''}<code>${r}</code>`)}</p>` : null}
    <h3>Findings</h3>
    ${(d.findings || []).length ? html`<table class="findings-table">
      <thead><tr><th scope="col">Severity</th><th scope="col">Rule</th><th scope="col">Party</th>
        <th scope="col">Explanation</th><th scope="col">Citation</th></tr></thead>
      <tbody>
        ${d.findings.map((f, i) => html`<tr key=${i}>
          <td><${Outcome} value=${f.severity} /></td>
          <td><code>${f.rule}</code></td>
          ${f.party ? html`<${Name} tag="td" text=${partyName(f.party)} />` : html`<td></td>`}
          <td>${f.explanation}</td>
          <td><${Citation} citation=${{ text: f.citation, verification: f.verification }} /></td>
        </tr>`)}
      </tbody>
    </table>` : html`<p class="empty">No findings.</p>`}
    <h3>Parties</h3>
    <ul class="parties">
      ${parties.map((p) => html`<li key=${p.id}><${Name} text=${p.name} /> (${p.role}): nexus${' '}
        <strong>${p.nexus_holds}</strong>
        ${p.nexus.length ? ` — ${p.nexus.map((n) => `${n.adversary} ${n.prong}`).join('; ')}` : ''}
      </li>`)}
    </ul>
    ${(d.unknowns || []).length ? html`<h3>Unknown</h3><ul>${d.unknowns.map((u, i) => html`<li key=${i}>${u}</li>`)}</ul>` : null}
    <details class="trace">
      <summary>Trace (${(d.trace || []).length} rules evaluated${(d.skipped || []).length ? `, ${d.skipped.length} not in effect` : ''})</summary>
      <ol>
        ${(d.trace || []).map((t, i) => html`<li key=${i}>
          <code>${t.rule}</code> <span class=${`result result-${t.result}`}>${t.result.replace(/_/g, ' ')}</span>
          ${t.conditions.length ? html`<ul>${t.conditions.map((c, j) => html`<li key=${j}>
            ${c.name} = <code>${c.value}</code>${c.detail ? ` — ${c.detail}` : ''}</li>`)}</ul>` : null}
        </li>`)}
      </ol>
      ${(d.skipped || []).length ? html`<p>Not in effect:</p><ul>${d.skipped.map((s, i) => html`<li key=${i}>
        <code>${s.rule}</code>: ${s.reason}</li>`)}</ul>` : null}
    </details>
    ${d.provenance ? html`<p class="provenance muted">
      Engine ${d.provenance.engine_version}, as of ${d.provenance.as_of}, input sha256${' '}
      <code>${String(d.provenance.input_sha256 || '').slice(0, 12)}</code>
      ${d.provenance.snapshot_sha256 ? html`, snapshot <code>${d.provenance.snapshot_sha256.slice(0, 12)}</code>` : null}</p>` : null}
  </section>`;
}
