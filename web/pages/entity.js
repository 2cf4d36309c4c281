// Entity: who stands behind a snapshot entity. The ownership/control graph
// (cytoscape) with each node's effective adversary shares, edge shares in
// percent and the heaviest path to the entity highlighted; then the prongs
// that hold, with citations, and what is unknown.
import { useEffect, useRef, useState } from '../vendor/hooks.mjs';
import { html } from '../vendor/htm-preact.mjs';
import cytoscape from '../vendor/cytoscape.mjs';
import { api, withQuery } from '../api.js';
import { Citation, Name, Outcome, percent, Problem } from '../components.js';

const DEFINITIONS = ['subpart-ab', 'subpart-ab-interim', 'subpart-d'];

export function EntityPage({ arg }) {
  const [id, setId] = useState(arg || '');
  const [asOf, setAsOf] = useState('');
  const [definition, setDefinition] = useState('subpart-ab');
  const [result, setResult] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const load = async (entityId) => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const path = withQuery(`entities/${encodeURIComponent(entityId)}/owners`, { as_of: asOf, definition });
      setResult(await api(path));
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  useEffect(() => {
    if (arg) load(arg);
  }, [arg]);
  const submit = (e) => {
    e.preventDefault();
    if (`#/entity/${id}` === decodeURIComponent(location.hash)) {
      load(id);
    } else {
      location.hash = `#/entity/${encodeURIComponent(id)}`;
    }
  };
  return html`<div class="page">
    <form class="grid-form" onSubmit=${submit}>
      <label for="entity-id">Entity id</label>
      <input id="entity-id" required value=${id} placeholder="e.g. an id from a screening hit"
             onInput=${(e) => setId(e.currentTarget.value.trim())} />
      <label for="entity-asof">As of (optional)</label>
      <input id="entity-asof" type="date" value=${asOf} onInput=${(e) => setAsOf(e.currentTarget.value)} />
      <label for="entity-definition">Nexus definition</label>
      <select id="entity-definition" value=${definition} onChange=${(e) => setDefinition(e.currentTarget.value)}>
        ${DEFINITIONS.map((d) => html`<option value=${d}>${d}</option>`)}
      </select>
      <div class="actions"><button type="submit" disabled=${busy}>Show owners</button></div>
    </form>
    <${Problem} error=${error} />
    ${result ? html`<${Owners} r=${result} />` : null}
  </div>`;
}

function Owners({ r }) {
  const shares = Object.entries(r.adversary_shares || {});
  return html`<section aria-labelledby="owners-heading">
    <h2 id="owners-heading"><${Name} text=${r.name || r.id} /> <code>${r.id}</code></h2>
    <p role="status">Outcome: <${Outcome} value=${r.outcome} /> under <code>${r.definition}</code> as of ${r.as_of}.
      ${shares.length ? html` Effective adversary shares: ${shares.map(([a, s]) => `${a} ${percent(s)}`).join(', ')}.` : ' No adversary shares.'}
    </p>
    ${r.graph ? html`<${OwnersGraph} r=${r} />` : null}
    ${(r.nexus || []).length ? html`<h3>Prongs that hold</h3><${NexusList} list=${r.nexus} />` : null}
    ${(r.review || []).length ? html`<h3>For review</h3><${NexusList} list=${r.review} />` : null}
    ${(r.paths || []).length ? html`<h3>Ownership paths</h3>
      <ol class="paths">${r.paths.map((p, i) => html`<li key=${i}>${`${p.adversary} ${percent(p.share)}: `}
        ${p.via.map((v, j) => html`${j ? ' → ' : ''}<code>${v}</code>`)}</li>`)}</ol>` : null}
    ${(r.unknowns || []).length ? html`<h3>Unknown</h3>
      <ul>${r.unknowns.map((u, i) => html`<li key=${i}><code>${u.kind}</code> ${u.node}: ${u.detail}</li>`)}</ul>` : null}
  </section>`;
}

function NexusList({ list }) {
  return html`<ul class="nexus-list">
    ${list.map((n, i) => html`<li key=${i}>
      <strong>${n.adversary}</strong> ${n.prong}${typeof n.share === 'number' ? ` (${percent(n.share)})` : ''}:${' '}
      ${n.evidence} — <${Citation} citation=${n.citation} />
    </li>`)}
  </ul>`;
}

// The node ids and edges on the heaviest ownership path into the entity.
function highlightedPath(r) {
  const best = (r.paths || [])[0];
  const nodes = new Set(best ? best.via : [r.id]);
  const edges = new Set();
  if (best) {
    for (let i = 0; i + 1 < best.via.length; i++) edges.add(`${best.via[i]}\u0000${best.via[i + 1]}`);
  }
  for (const chain of r.control || []) {
    const via = chain.via || [];
    via.forEach((v) => nodes.add(v));
    for (let i = 0; i + 1 < via.length; i++) edges.add(`${via[i]}\u0000${via[i + 1]}`);
  }
  return { nodes, edges };
}

// "CN 39%" for each adversary share; "CN itself" when the node is one.
function sharesText(n) {
  const parts = (n.adversary || []).map((a) => `${a} itself`);
  for (const [a, s] of Object.entries(n.adversary_shares || {})) parts.push(`${a} ${percent(s)}`);
  return parts.join(', ');
}

function nodeLabel(n) {
  const shares = sharesText(n);
  return shares ? `${n.name || n.id}\n${shares}` : n.name || n.id;
}

function OwnersGraph({ r }) {
  const container = useRef(null);
  const g = r.graph;
  useEffect(() => {
    if (!container.current) return undefined;
    const path = highlightedPath(r);
    const elements = [];
    for (const n of g.nodes) {
      const classes = [];
      if (n.id === r.id) classes.push('target');
      if ((n.adversary || []).length) classes.push('adversary');
      if (Object.keys(n.adversary_shares || {}).length) classes.push('exposed');
      if (path.nodes.has(n.id)) classes.push('on-path');
      elements.push({ data: { id: `n:${n.id}`, label: nodeLabel(n) }, classes: classes.join(' ') });
    }
    g.edges.forEach((e, i) => {
      const label = typeof e.share === 'number' ? percent(e.share) : e.control || e.kind;
      const classes = [e.kind];
      if (path.edges.has(`${e.owner}\u0000${e.owned}`)) classes.push('on-path');
      elements.push({
        data: { id: `e:${i}`, source: `n:${e.owner}`, target: `n:${e.owned}`, label },
        classes: classes.join(' '),
      });
    });
    const cy = cytoscape({
      container: container.current,
      elements,
      layout: { name: 'breadthfirst', directed: true, spacingFactor: 1.2, padding: 20 },
      wheelSensitivity: 0.3,
      style: [
        { selector: 'node', style: {
          label: 'data(label)', 'text-wrap': 'wrap', 'text-max-width': 180, 'font-size': 11,
          'text-valign': 'bottom', 'text-margin-y': 4, 'background-color': '#8a94a6', width: 18, height: 18,
          'font-family': 'system-ui, "Noto Sans", "Noto Sans CJK SC", "DejaVu Sans", sans-serif' } },
        { selector: 'node.exposed', style: { 'background-color': '#d98b1f' } },
        { selector: 'node.adversary', style: { 'background-color': '#b3261e', shape: 'diamond' } },
        { selector: 'node.target', style: { 'border-width': 3, 'border-color': '#1a4fa0', width: 24, height: 24 } },
        { selector: 'edge', style: {
          label: 'data(label)', 'font-size': 10, width: 1.5, 'line-color': '#9aa3b2',
          'target-arrow-color': '#9aa3b2', 'target-arrow-shape': 'triangle', 'curve-style': 'bezier',
          'text-background-color': '#ffffff', 'text-background-opacity': 0.8 } },
        { selector: 'edge.control', style: { 'line-style': 'dashed' } },
        { selector: 'edge.on-path', style: { width: 4, 'line-color': '#b3261e', 'target-arrow-color': '#b3261e' } },
        { selector: 'node.on-path', style: { 'border-width': 3, 'border-color': '#b3261e' } },
      ],
    });
    return () => cy.destroy();
  }, [r]);
  return html`<figure class="graph-figure">
    <div ref=${container} class="graph" role="img"
         aria-label=${`Ownership and control graph of ${r.name || r.id}: ${g.nodes.length} nodes, ${g.edges.length} edges`}></div>
    <figcaption>
      ${g.nodes.length} nodes, ${g.edges.length} edges${g.truncated ? ' (truncated)' : ''}.
      Red diamonds are foreign-adversary persons (“CN itself”); orange nodes have an effective adversary
      share; the highlighted path is the heaviest ownership path (and any control chain) to the entity. Edge
      labels are shares; dashed edges are control.
    </figcaption>
    <table class="graph-table">
      <caption>Nodes</caption>
      <thead><tr><th scope="col">Id</th><th scope="col">Name</th><th scope="col">Adversary and shares</th></tr></thead>
      <tbody>${g.nodes.map((n) => html`<tr key=${n.id} class=${highlightedPath(r).nodes.has(n.id) ? 'on-path' : ''}>
        <td><code>${n.id}</code></td><${Name} tag="td" text=${n.name} />
        <td>${sharesText(n)}</td>
      </tr>`)}</tbody>
    </table>
  </figure>`;
}
