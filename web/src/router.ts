import { useEffect, useState } from 'preact/hooks';

/** Client-side routes; the server answers every one of these paths with index.html. */
export type Route =
  | { page: 'home' }
  | { page: 'service'; slug: string }
  | { page: 'status'; slug: string }
  | { page: 'incidents' }
  | { page: 'check' }
  | { page: 'incident'; id: string }
  | { page: 'maintenance'; id: string }
  | { page: 'subscription' }
  | { page: 'admin'; section?: string }
  | { page: 'not-found'; path: string };

export function matchRoute(path: string): Route {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return { page: 'home' };
  if (parts[0] === 'services' && parts.length === 2) return { page: 'service', slug: parts[1] };
  if (parts[0] === 'status' && parts.length === 2) return { page: 'status', slug: parts[1] };
  if (parts[0] === 'incidents' && parts.length === 1) return { page: 'incidents' };
  if (parts[0] === 'check' && parts.length === 1) return { page: 'check' };
  if (parts[0] === 'incidents' && parts.length === 2) return { page: 'incident', id: parts[1] };
  if (parts[0] === 'maintenance' && parts.length === 2) return { page: 'maintenance', id: parts[1] };
  if (parts[0] === 'subscription' && parts.length === 1) return { page: 'subscription' };
  if (parts[0] === 'admin' && parts.length <= 2) return parts[1] ? { page: 'admin', section: parts[1] } : { page: 'admin' };
  return { page: 'not-found', path };
}

export function navigate(href: string): void {
  history.pushState(null, '', href);
  window.dispatchEvent(new PopStateEvent('popstate'));
  window.scrollTo(0, 0);
}

/** Changes the URL without a new history entry (a page correcting its own address). */
export function replaceLocation(href: string): void {
  history.replaceState(null, '', href);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

/** Same-origin link clicks become history navigations instead of page loads. */
export function interceptLinks(e: MouseEvent): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const a = (e.target as Element | null)?.closest('a');
  if (!a || a.target || a.origin !== location.origin || a.pathname.startsWith('/api/')) return;
  e.preventDefault();
  navigate(a.pathname + a.search);
}

export function useLocation(): { path: string; search: URLSearchParams } {
  const [loc, setLoc] = useState(() => ({ path: location.pathname, search: new URLSearchParams(location.search) }));
  useEffect(() => {
    const on = (): void => setLoc({ path: location.pathname, search: new URLSearchParams(location.search) });
    window.addEventListener('popstate', on);
    return () => window.removeEventListener('popstate', on);
  }, []);
  return loc;
}
