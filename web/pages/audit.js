// Audit: whether the store's hash-chained audit log is intact.
import { useEffect, useState } from '../vendor/hooks.mjs';
import { html } from '../vendor/htm-preact.mjs';
import { api } from '../api.js';
import { Problem } from '../components.js';

export function AuditPage() {
  const [report, setReport] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    setError(null);
    try {
      setReport(await api('audit/verify'));
    } catch (err) {
      setReport(null);
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    verify();
  }, []);
  return html`<div class="page">
    <div class="actions"><button type="button" onClick=${verify} disabled=${busy}>Verify again</button></div>
    <${Problem} error=${error} />
    ${report ? html`<div role="status" class=${report.intact ? 'chain chain-intact' : 'chain chain-broken'}>
      <p class="chain-status">${report.intact ? 'Audit chain intact' : 'Audit chain BROKEN'}</p>
      <dl>
        <dt>Events</dt><dd>${report.events}</dd>
        <dt>Head hash</dt><dd><code>${report.head_hash}</code></dd>
        ${report.intact ? null : html`<dt>First bad event</dt><dd>${report.first_bad_seq}</dd>
          <dt>Problem</dt><dd>${report.problem}</dd>`}
      </dl>
    </div>` : null}
  </div>`;
}
