import { HomePage } from './pages/home.js';
import { IncidentsPage } from './pages/incidents-page.js';
import { StatusPage } from './pages/status-page.js';
import { MaintenancePage } from './pages/maintenance-page.js';
import { SubscriptionPage } from './pages/subscription-page.js';
import { ChecksPage } from './pages/checks-page.js';
import { matchRoute, useLocation } from './router.js';
import { lazyPage } from './lazy-page.js';
import { LiveIndicator } from './live/live-indicator.js';
import { ThemeToggle } from './theme/theme-toggle.js';

// Pages with charts and maps load on first visit; home, status and the incident list do not need them.
const ServicePage = lazyPage(() => import('./pages/service-page.js').then((m) => m.ServicePage));
const CheckDetailPage = lazyPage(() => import('./pages/check-detail-page.js').then((m) => m.CheckDetailPage));
const IncidentPage = lazyPage(() => import('./pages/incident-page.js').then((m) => m.IncidentPage));
// The instant check's page (its table and live stream) loads when opened.
const CheckPage = lazyPage(() => import('./pages/check-page.js').then((m) => m.CheckPage));
// Operators only: the admin area is not part of what visitors load.
const AdminPage = lazyPage(() => import('./admin/admin-page.js').then((m) => m.AdminPage));

/** Shell: skip link, header with navigation and theme toggle, then the routed page. */
export function App() {
  const { path, search } = useLocation();
  const route = matchRoute(path);
  const statusOnly = route.page === 'status';
  return (
    <>
      <a class="skip-link" href="#main">Skip to content</a>
      <header class="top">
        <a href="/" class="brand" aria-label="Stormwatch home">
          <svg aria-hidden="true" width="22" height="22" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
            <path d="M17.5 15a4.5 4.5 0 0 0 0-9 6 6 0 0 0-11.6 2A3.5 3.5 0 0 0 6.5 15" />
            <path d="m13 12-3 5h4l-3 5" />
          </svg>{' '}
          Stormwatch
        </a>
        {!statusOnly && (
          <nav aria-label="Main">
            <a href="/" aria-current={route.page === 'home' ? 'page' : undefined}>Services</a>
            <a href="/incidents" aria-current={route.page === 'incidents' || route.page === 'incident' ? 'page' : undefined}>Incidents</a>
            <a href="/checks" aria-current={route.page === 'checks' || route.page === 'check-detail' ? 'page' : undefined}>Checks</a>
            <a href="/check" aria-current={route.page === 'check' ? 'page' : undefined}>Check now</a>
            <a href="/admin" aria-current={route.page === 'admin' ? 'page' : undefined}>Admin</a>
          </nav>
        )}
        <LiveIndicator />
        <ThemeToggle />
      </header>
      {route.page === 'home' && <HomePage />}
      {route.page === 'service' && <ServicePage key={route.slug} slug={route.slug} search={search} />}
      {route.page === 'status' && <StatusPage key={route.slug} slug={route.slug} />}
      {route.page === 'incidents' && <IncidentsPage />}
      {route.page === 'check' && <CheckPage search={search} />}
      {route.page === 'incident' && <IncidentPage key={route.id} id={route.id} />}
      {route.page === 'maintenance' && <MaintenancePage key={route.id} id={route.id} />}
      {route.page === 'subscription' && <SubscriptionPage search={search} />}
      {route.page === 'checks' && <ChecksPage search={search} />}
      {route.page === 'check-detail' && <CheckDetailPage key={route.id} id={route.id} search={search} />}
      {route.page === 'admin' && <AdminPage {...(route.section ? { section: route.section } : {})} />}
      {route.page === 'not-found' && (
        <main id="main">
          <h1>Page not found</h1>
          <p>
            Nothing lives at <code>{route.path}</code>. <a href="/">Back to all services</a>.
          </p>
        </main>
      )}
      <footer class="muted small">Stormwatch · reports update live</footer>
    </>
  );
}
