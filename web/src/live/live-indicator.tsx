import { useLiveState } from './events.js';

/** Says in words whether the page is receiving live updates (not only with a coloured dot). */
export function LiveIndicator() {
  const state = useLiveState();
  const text = state === 'connected' ? 'Live' : state === 'connecting' ? 'Connecting…' : 'Reconnecting…';
  return (
    <span class={`live live-${state}`} role="status" data-testid="live-indicator" data-state={state}>
      <span aria-hidden="true">{state === 'connected' ? '●' : '○'}</span> {text}
    </span>
  );
}
