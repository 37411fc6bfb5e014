import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';

/**
 * A page whose code (and the chart library it pulls in) loads on first visit, so the home
 * page ships only what it draws.
 */
export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<ComponentType<P>> | undefined;
  return function LazyPage(props: P) {
    const [Page, setPage] = useState<ComponentType<P> | undefined>(() => loaded);
    const [error, setError] = useState<string>();
    useEffect(() => {
      if (Page) return;
      let live = true;
      pending ??= load().then((c) => (loaded = c));
      pending.then(
        (c) => live && setPage(() => c),
        (err: unknown) => live && setError(err instanceof Error ? err.message : String(err)),
      );
      return () => {
        live = false;
      };
    }, [Page]);
    if (Page) return <Page {...props} />;
    return (
      <main id="main">
        <p class="muted">{error ? `Could not load this page: ${error}` : 'Loading…'}</p>
      </main>
    );
  };
}
