// The icts web UI: a token login, then one page per task. Pages are chosen by
// the URL fragment (#/screen, #/scan, ...), so the browser's back button and
// links work without any server-side routing.
import { render } from './vendor/preact.mjs';
import { useEffect, useRef, useState } from './vendor/hooks.mjs';
import { html } from './vendor/htm-preact.mjs';
import { api, clearToken, getToken, setToken } from './api.js';
import { Problem } from './components.js';
import { ScreenPage } from './pages/screen.js';
import { ScanPage } from './pages/scan.js';
import { ReviewPage } from './pages/review.js';
import { EntityPage } from './pages/entity.js';
import { CasesPage } from './pages/cases.js';
import { AuditPage } from './pages/audit.js';
import { ListsPage } from './pages/lists.js';

const PAGES = [
  { id: 'screen', title: 'Screening', component: ScreenPage },
  { id: 'scan', title: 'Scan', component: ScanPage },
  { id: 'review', title: 'Review', component: ReviewPage },
  { id: 'entity', title: 'Entity', component: EntityPage },
  { id: 'cases', title: 'Cases', component: CasesPage },
  { id: 'audit', title: 'Audit', component: AuditPage },
  { id: 'lists', title: 'Lists', component: ListsPage },
];

// "#/entity/some-id" → { page: "entity", arg: "some-id" }.
function parseHash() {
  const h = decodeURIComponent(location.hash.replace(/^#\/?/, ''));
  const slash = h.indexOf('/');
  return slash < 0 ? { page: h, arg: '' } : { page: h.slice(0, slash), arg: h.slice(slash + 1) };
}

function useRoute() {
  const [route, setRoute] = useState(parseHash());
  useEffect(() => {
    const onChange = () => setRoute(parseHash());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

function Login({ onLogin }) {
  const [token, setTokenText] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // Any route a viewer may read checks the token.
      await api('lists', { token: token.trim() });
      setToken(token.trim());
      onLogin();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return html`<main id="main" class="login">
    <h1>icts</h1>
    <p>ICTS supply-chain review. Sign in with an API token (<code>icts token create</code>).</p>
    <form onSubmit=${submit} aria-describedby="login-help">
      <label for="token">API token</label>
      <input id="token" name="token" type="password" autocomplete="off" required
             value=${token} onInput=${(e) => setTokenText(e.currentTarget.value)} />
      <button type="submit" disabled=${busy}>Sign in</button>
      <p id="login-help" class="hint">The token is kept in this tab only (session storage).</p>
    </form>
    <${Problem} error=${error} label="Sign-in failed" />
  </main>`;
}

// The page is chosen by the fragment, so the skip link moves focus itself.
function skipToMain(e) {
  e.preventDefault();
  const main = document.getElementById('main');
  if (main) main.focus();
}

function App() {
  const [signedIn, setSignedIn] = useState(Boolean(getToken()));
  const route = useRoute();
  const heading = useRef(null);
  const page = PAGES.find((p) => p.id === route.page) || PAGES[0];
  useEffect(() => {
    document.title = `${page.title} · icts`;
  }, [page]);
  if (!signedIn) return html`<${Login} onLogin=${() => setSignedIn(true)} />`;
  const signOut = () => {
    clearToken();
    setSignedIn(false);
  };
  const Page = page.component;
  return html`<div class="shell">
    <a class="skip" href="#main" onClick=${skipToMain}>Skip to content</a>
    <header>
      <span class="brand">icts</span>
      <nav aria-label="Pages">
        <ul>
          ${PAGES.map((p) => html`<li key=${p.id}>
            <a href=${`#/${p.id}`} aria-current=${p.id === page.id ? 'page' : null}>${p.title}</a>
          </li>`)}
        </ul>
      </nav>
      <button type="button" class="signout" onClick=${signOut}>Sign out</button>
    </header>
    <main id="main" tabindex="-1">
      <h1 ref=${heading}>${page.title}</h1>
      <${Page} key=${page.id} arg=${route.arg} />
    </main>
  </div>`;
}

const root = document.getElementById('app');
root.textContent = '';
render(html`<${App} />`, root);
