import { Counter, type Registry } from 'prom-client';

export type DeliveryOutcome = 'delivered' | 'failed' | 'retrying';

/** Counts each delivery's outcome by channel type (`retrying`: left for the next start). */
export function deliveryOutcomeCounter(registry: Registry): (channelType: string, outcome: DeliveryOutcome) => void {
  const deliveries = new Counter({
    name: 'stormwatch_alert_deliveries_total',
    help: 'Alert deliveries by channel type and outcome (delivered, failed after retries, retrying when the server stopped)',
    labelNames: ['channel_type', 'outcome'],
    registers: [registry],
  });
  return (channelType, outcome) => deliveries.labels(channelType, outcome).inc();
}
