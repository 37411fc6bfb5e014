import { useEffect } from 'preact/hooks';

/** Probe results arrive every interval without an event of their own, so the check pages poll too. */
export const CHECK_REFRESH_MS = 15_000;

/** Calls `reload` every `ms` while the component is mounted. */
export function usePoll(reload: () => void, ms = CHECK_REFRESH_MS): void {
  useEffect(() => {
    const t = window.setInterval(reload, ms);
    return () => window.clearInterval(t);
  }, [ms]);
}
