import { useState } from 'preact/hooks';
import { AdminError } from './admin-api.js';

export interface Action {
  busy: boolean;
  error?: string;
  done?: string;
  /** Runs `fn`; a refusal from the server shows as the error (with the field at fault). */
  run: (fn: () => Promise<string | void>) => Promise<boolean>;
}

/** One form's submission state: busy while it runs, then its outcome for a live region. */
export function useAction(): Action {
  const [state, setState] = useState<{ busy: boolean; error?: string; done?: string }>({ busy: false });
  return {
    ...state,
    run: async (fn) => {
      setState({ busy: true });
      try {
        const done = await fn();
        setState({ busy: false, ...(done ? { done } : {}) });
        return true;
      } catch (err) {
        const message = err instanceof AdminError ? `${err.message}${err.field ? ` (${err.field})` : ''}` : err instanceof Error ? err.message : String(err);
        setState({ busy: false, error: message });
        return false;
      }
    },
  };
}

/** The outcome of an action, announced to screen readers. */
export function ActionOutcome({ action }: { action: Action }) {
  return (
    <p role="status" aria-live="polite" class={action.error ? 'notice err' : action.done ? 'notice ok' : 'visually-hidden'}>
      {action.error ?? action.done ?? ''}
    </p>
  );
}
