// Lists: the loaded snapshot and the age of each source (freshness).
import { useEffect, useState } from '../vendor/hooks.mjs';
import { html } from '../vendor/htm-preact.mjs';
import { api } from '../api.js';
import { basename, Problem } from '../components.js';

// Sources older than this are flagged.
const STALE_DAYS = 30;

export function ListsPage() {
  const [info, setInfo] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    api('lists').then(setInfo).catch(setError);
  }, []);
  if (error) return html`<${Problem} error=${error} />`;
  if (!info) return html`<p>Loading…</p>`;
  if (!info.hash) return html`<p role="status">No snapshot is loaded: screening finds nothing.</p>`;
  const loaded = new Date(Number(info.loaded_at) * 1000).toISOString().replace('T', ' ').slice(0, 19);
  return html`<div class="page">
    <p role="status">
      Snapshot <code>${info.hash.slice(0, 16)}</code>:${' '}
      ${`${info.entities} entities, ${info.relations} relations, format ${info.format_version}; loaded ${loaded} UTC.`}
    </p>
    <table class="sources">
      <caption>Sources</caption>
      <thead><tr><th scope="col">Format</th><th scope="col">File</th><th scope="col">Published</th>
        <th scope="col">Age (days)</th><th scope="col">Rows</th><th scope="col">Entities</th>
        <th scope="col">Rejected</th><th scope="col">SHA-256</th></tr></thead>
      <tbody>${info.sources.map((s, i) => html`<tr key=${i}
          class=${typeof s.age_days === 'number' && s.age_days > STALE_DAYS ? 'stale' : ''}>
        <td>${s.format}</td>
        <td title=${s.path}>${basename(s.path)}</td>
        <td>${s.published || 'unknown'}</td>
        <td class="num">${s.age_days === null || s.age_days === undefined ? '–' : s.age_days}
          ${typeof s.age_days === 'number' && s.age_days > STALE_DAYS ? html` <span class="tag">stale</span>` : null}</td>
        <td class="num">${s.rows}</td>
        <td class="num">${s.entities}</td>
        <td class="num">${s.rejected}</td>
        <td><code>${String(s.sha256 || '').slice(0, 12)}</code></td>
      </tr>`)}</tbody>
    </table>
  </div>`;
}
