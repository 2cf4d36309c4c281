// Scan: upload an inventory (CycloneDX, SPDX, asset or services CSV) → a
// background job → findings grouped by supplier or by category, each
// expandable to its evidence chain; the HTML report as a download.
import { useState } from '../vendor/hooks.mjs';
import { html } from '../vendor/htm-preact.mjs';
import { api, saveBlob, withQuery } from '../api.js';
import { Citation, JobProgress, Name, Outcome, Problem, useUploadJob } from '../components.js';

export function ScanPage() {
  const [file, setFile] = useState(null);
  const [asOf, setAsOf] = useState('');
  const [grouping, setGrouping] = useState('supplier');
  const { job, error, setError, busy, run } = useUploadJob();
  const submit = (e) => {
    e.preventDefault();
    if (!file) return;
    run(withQuery('scans', { filename: file.name, as_of: asOf }), file, 'Scan failed');
  };
  const exportReport = async () => {
    setError(null);
    try {
      const blob = await api(`jobs/${encodeURIComponent(job.id)}/report.html`, { as: 'blob' });
      saveBlob(blob, `icts-scan-${job.id}.html`);
    } catch (err) {
      setError(err);
    }
  };
  const result = job && job.state === 'done' ? job.result : null;
  return html`<div class="page">
    <form class="grid-form" onSubmit=${submit}>
      <label for="scan-file">Inventory file</label>
      <input id="scan-file" type="file" accept=".json,.csv,.tsv,.spdx,.xml"
             onChange=${(e) => setFile(e.currentTarget.files[0] || null)} />
      <label for="scan-asof">As of (optional)</label>
      <input id="scan-asof" type="date" value=${asOf} onInput=${(e) => setAsOf(e.currentTarget.value)} />
      <div class="actions"><button type="submit" disabled=${busy || !file}>Scan</button></div>
    </form>
    <${Problem} error=${error} />
    <${JobProgress} job=${job} label="Scan" />
    ${result ? html`<${ScanResult} result=${result} grouping=${grouping} setGrouping=${setGrouping}
                                    onExport=${exportReport} />` : null}
  </div>`;
}

function ScanResult({ result, grouping, setGrouping, onExport }) {
  const s = result.summary || {};
  const items = s.items || {};
  const findings = result.findings || [];
  return html`<section aria-labelledby="scan-result-heading">
    <h2 id="scan-result-heading">Result</h2>
    <p role="status" class="summary">
      ${`${result.items} items: ${items.prohibited || 0} prohibited, ${items.needs_review || 0} need review, ` +
        `${items.clear || 0} clear, ${result.unattributed || 0} unattributed. ${findings.length} findings.`}
    </p>
    <div class="actions">
      <button type="button" onClick=${onExport}>Export HTML report</button>
    </div>
    <fieldset class="inline">
      <legend>Group findings by</legend>
      <label><input type="radio" name="grouping" value="supplier" checked=${grouping === 'supplier'}
        onChange=${() => setGrouping('supplier')} /> supplier</label>
      <label><input type="radio" name="grouping" value="category" checked=${grouping === 'category'}
        onChange=${() => setGrouping('category')} /> category</label>
    </fieldset>
    ${grouping === 'supplier' ? html`<${BySupplier} result=${result} />` : html`<${ByCategory} result=${result} />`}
    ${(result.unattributed_items || []).length ? html`<details class="unattributed">
      <summary>${result.unattributed} items name no supplier (not evaluated)</summary>
      <ul>${result.unattributed_items.map((u, i) => html`<li key=${i}><${Name} text=${`${u.name} ${u.version || ''}`} />
        <span class="where"> ${u.file} ${u.pointer}</span></li>`)}</ul>
    </details>` : null}
  </section>`;
}

function BySupplier({ result }) {
  const findings = result.findings || [];
  const groups = result.by_supplier || [];
  if (!groups.length) return html`<p class="empty">No findings.</p>`;
  return html`<div class="groups">
    ${groups.map((g, i) => html`<section class="group" key=${i} aria-label=${g.supplier || 'the items themselves'}>
      <h3>
        <${Name} text=${g.supplier || '(the items themselves)'} />
        ${g.role ? html` <span class="muted">(${g.role})</span>` : null}
        ${' '}<${Outcome} value=${g.outcome} />
        ${g.adversaries && g.adversaries.length ? html` <span class="nexus">nexus: ${g.adversaries.join(', ')}</span>` : null}
      </h3>
      <${FindingList} findings=${g.findings.map((n) => findings[n]).filter(Boolean)} />
    </section>`)}
  </div>`;
}

function ByCategory({ result }) {
  const findings = result.findings || [];
  const categories = new Map();
  for (const f of findings) {
    const c = f.item_kind || 'unknown';
    if (!categories.has(c)) categories.set(c, []);
    categories.get(c).push(f);
  }
  if (!categories.size) return html`<p class="empty">No findings.</p>`;
  const rows = (result.summary && result.summary.by_category) || [];
  return html`<div class="groups">
    ${[...categories.entries()].map(([c, list]) => {
      const row = rows.find((r) => r.category === c);
      return html`<section class="group" key=${c} aria-label=${c}>
        <h3>${c} ${row ? html`<span class="muted">
          ${`(${row.items} items: ${row.prohibited} prohibited, ${row.needs_review} need review)`}
        </span>` : null}</h3>
        <${FindingList} findings=${list} />
      </section>`;
    })}
  </div>`;
}

function FindingList({ findings }) {
  return html`<ul class="findings">
    ${findings.map((f) => html`<li key=${f.index}>
      <details>
        <summary>
          <${Outcome} value=${f.outcome} /> <code>${f.rule}</code> — <${Name} text=${`${f.item_name} ${f.item_version || ''}`.trim()} />
          ${f.decision ? html` <span class="decided">decided</span>` : null}
        </summary>
        <${EvidenceChain} f=${f} />
      </details>
    </li>`)}
  </ul>`;
}

function EvidenceChain({ f }) {
  const d = f.decision;
  return html`<dl class="chain">
    <dt>component</dt>
    <dd><${Name} text=${`${f.item_name} ${f.item_version || ''}`.trim()} />
      ${f.item_purl ? html` <code>${f.item_purl}</code>` : null}
      <span class="where"> (${f.file} ${f.pointer})</span></dd>
    <dt>supplier</dt>
    <dd>${f.supplier ? html`<${Name} text=${f.supplier} />` : '(the item itself)'}
      ${f.supplier_role ? ` (${f.supplier_role})` : ''}${f.supplier_country ? `, ${f.supplier_country}` : ''}
      ${f.supplier_source ? html` <span class="muted">from ${f.supplier_source}</span>` : null}</dd>
    <dt>because</dt>
    <dd>${f.explanation}</dd>
    <dt>rule</dt>
    <dd><code>${f.rule}</code> (${f.rule_kind || f.severity})</dd>
    <dt>citation</dt>
    <dd><${Citation} citation=${{ text: f.citation, url: f.citation_url, verification: f.verification }} /></dd>
    ${d ? html`<dt>decision</dt>
      <dd>${d.status} by ${d.by}${d.expires ? ` until ${d.expires}` : ''}: ${d.reason}</dd>` : null}
    ${f.decision_expired ? html`<dt>decision</dt><dd>expired; the finding counts again</dd>` : null}
  </dl>`;
}
