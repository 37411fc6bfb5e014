import { useEffect } from 'preact/hooks';

/** Each page names itself in the tab and for screen readers announcing navigation. */
export function useTitle(title: string): void {
  useEffect(() => {
    document.title = title ? `${title} · Stormwatch` : 'Stormwatch';
  }, [title]);
}
