// Cases: the list with what falls due first; a case's timeline (events and
// deadlines, by date); forms to open a case and to record an event (reviewer
// role; a refused event shows the 409 problem naming what is allowed).
import { useEffect, useState } from '../vendor/hooks.mjs';
import { html } from '../vendor/htm-preact.mjs';
import { api, withQuery } from '../api.js';
import { Citation, Problem } from '../components.js';

function today() {
  return new Date().toISOString().slice(0, 10);
}

function daysFrom(iso) {
  if (!iso) return null;
  const ms = Date.parse(`${iso}T00:00:00Z`) - Date.parse(`${today()}T00:00:00Z`);
  return Math.round(ms / 86400000);
}

function Due({ date }) {
  if (!date) return html`<span class="muted">nothing due</span>`;
  const d = daysFrom(date);
  const text = d < 0 ? `${-d} days overdue` : d === 0 ? 'due today' : `in ${d} days`;
  return html`<span class=${d < 0 ? 'overdue' : d <= 14 ? 'due-soon' : ''}>${date} (${text})</span>`;
}

export function CasesPage({ arg }) {
  const [cases, setCases] = useState(null);
  const [openOnly, setOpenOnly] = useState(true);
  const [error, setError] = useState(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    let live = true;
    setError(null);
    api(withQuery('cases', { open: openOnly ? 'true' : '' }))
      .then((list) => live && setCases(list))
      .catch((err) => live && setError(err));
    return () => {
      live = false;
    };
  }, [openOnly, reload]);
  // What falls due first comes first; cases with nothing due last.
  const sorted = (cases || []).slice().sort((a, b) => {
    if (a.next_due_on && b.next_due_on) return a.next_due_on.localeCompare(b.next_due_on);
    if (a.next_due_on) return -1;
    if (b.next_due_on) return 1;
    return a.opened_on.localeCompare(b.opened_on);
  });
  return html`<div class="page">
    <${Problem} error=${error} />
    <label class="inline"><input type="checkbox" checked=${openOnly}
      onChange=${(e) => setOpenOnly(e.currentTarget.checked)} /> Open cases only</label>
    ${cases ? html`<table class="cases">
      <caption>${sorted.length} ${sorted.length === 1 ? 'case' : 'cases'}, what falls due first</caption>
      <thead><tr><th scope="col">Next due</th><th scope="col">Case</th><th scope="col">Title</th>
        <th scope="col">State</th><th scope="col">Opened</th></tr></thead>
      <tbody>${sorted.map((c) => html`<tr key=${c.id} aria-current=${c.id === arg ? 'true' : null}>
        <td><${Due} date=${c.next_due_on} /></td>
        <td><a href=${`#/cases/${encodeURIComponent(c.id)}`}><code>${c.id}</code></a></td>
        <td dir="auto">${(c.case && c.case.title) || ''}</td>
        <td>${c.state}</td>
        <td>${c.opened_on}</td>
      </tr>`)}</tbody>
    </table>` : html`<p>Loading…</p>`}
    <${NewCase} onCreated=${(c) => {
      setReload(reload + 1);
      location.hash = `#/cases/${encodeURIComponent(c.id)}`;
    }} />
    ${arg ? html`<${CaseDetail} key=${arg} id=${arg} onChanged=${() => setReload(reload + 1)} />` : null}
  </div>`;
}

function NewCase({ onCreated }) {
  const [title, setTitle] = useState('');
  const [opened, setOpened] = useState(today());
  const [error, setError] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    try {
      const c = await api('cases', { method: 'POST', json: { title, opened } });
      setTitle('');
      onCreated(c);
    } catch (err) {
      setError(err);
    }
  };
  return html`<details class="new-case">
    <summary>Open a new case</summary>
    <form class="grid-form" onSubmit=${submit}>
      <label for="case-title">Title</label>
      <input id="case-title" dir="auto" required value=${title} onInput=${(e) => setTitle(e.currentTarget.value)} />
      <label for="case-opened">Opened on</label>
      <input id="case-opened" type="date" required value=${opened} onInput=${(e) => setOpened(e.currentTarget.value)} />
      <div class="actions"><button type="submit">Open case</button></div>
    </form>
    <${Problem} error=${error} label="Case not opened" />
  </details>`;
}

// Events and deadlines on one time line, in date order.
function timeline(c) {
  const rows = [];
  for (const e of c.events || []) {
    rows.push({ date: e.occurred_on, type: 'event', e });
  }
  for (const d of c.deadlines || []) {
    rows.push({ date: d.date, type: 'deadline', d });
  }
  return rows.sort((a, b) => a.date.localeCompare(b.date) || (a.type === 'event' ? -1 : 1));
}

function CaseDetail({ id, onChanged }) {
  const [c, setCase] = useState(null);
  const [error, setError] = useState(null);
  const [reload, setReload] = useState(0);
  useEffect(() => {
    let live = true;
    api(`cases/${encodeURIComponent(id)}`)
      .then((got) => live && setCase(got))
      .catch((err) => live && setError(err));
    return () => {
      live = false;
    };
  }, [id, reload]);
  if (error) return html`<${Problem} error=${error} />`;
  if (!c) return html`<p>Loading case…</p>`;
  const rows = timeline(c);
  return html`<section class="case" aria-labelledby="case-heading">
    <h2 id="case-heading"><span dir="auto">${(c.case && c.case.title) || c.id}</span> <code>${c.id}</code></h2>
    <p>State <strong>${c.state}</strong>, opened ${c.opened_on}${c.closed_on ? `, closed ${c.closed_on}` : ''}.
      Next due: <${Due} date=${c.next_due_on} /></p>
    <ol class="timeline" aria-label="Timeline">
      ${rows.map((r, i) => r.type === 'event' ? html`<li key=${i} class="event">
        <time datetime=${r.date}>${r.date}</time> <strong>${r.e.kind}</strong>
        ${r.e.event && r.e.event.note ? html` — <span dir="auto">${r.e.event.note}</span>` : null}
        <span class="muted"> by ${r.e.actor}</span>
      </li>` : html`<li key=${i} class=${`deadline deadline-${r.d.status}`}>
        <time datetime=${r.date}>${r.date}</time> <span class="tag">deadline</span> ${r.d.what}${' '}
        <span class="status">(${r.d.status}${r.d.met_on ? ` on ${r.d.met_on}` : ''})</span>${' — '}
        <${Citation} citation=${{ text: r.d.citation, verification: r.d.verification }} />
      </li>`)}
    </ol>
    <${AddEvent} c=${c} onAdded=${() => {
      setReload(reload + 1);
      onChanged();
    }} />
  </section>`;
}

function AddEvent({ c, onAdded }) {
  const allowed = c.allowed_events || [];
  const [kind, setKind] = useState(allowed[0] || 'note');
  const [date, setDate] = useState(today());
  const [note, setNote] = useState('');
  const [error, setError] = useState(null);
  const submit = async (e) => {
    e.preventDefault();
    setError(null);
    try {
      const body = { kind, date };
      if (note) body.note = note;
      await api(`cases/${encodeURIComponent(c.id)}/events`, { method: 'POST', json: body });
      setNote('');
      onAdded();
    } catch (err) {
      setError(err);
    }
  };
  return html`<form class="grid-form add-event" onSubmit=${submit} aria-label="Record an event">
    <label for="event-kind">Event</label>
    <span>
      <input id="event-kind" list="event-kinds" required value=${kind} onInput=${(e) => setKind(e.currentTarget.value)} />
      <datalist id="event-kinds">${allowed.map((k) => html`<option value=${k}></option>`)}</datalist>
    </span>
    <label for="event-date">Date</label>
    <input id="event-date" type="date" required value=${date} onInput=${(e) => setDate(e.currentTarget.value)} />
    <label for="event-note">Note (optional)</label>
    <input id="event-note" dir="auto" value=${note} onInput=${(e) => setNote(e.currentTarget.value)} />
    <div class="actions"><button type="submit">Record event</button></div>
    <p class="hint">Allowed now: ${allowed.join(', ') || 'none'}.</p>
    <${Problem} error=${error} label="Event not recorded" />
  </form>`;
}
