import { classWords } from '../probes/error-class-words.js';
import type { CheckSignal, ClassCount, ComponentStatus } from './model.js';

const STATUS_WORDS: Record<ComponentStatus, string> = {
  operational: 'operational',
  degraded_performance: 'degraded performance',
  partial_outage: 'partial outage',
  major_outage: 'major outage',
  under_maintenance: 'under maintenance',
};

export function statusWords(status: ComponentStatus): string {
  return STATUS_WORDS[status];
}

/**
 * "3 of 3 locations: connection refused on x-tcp", or with several classes
 * "3 of 3 locations failing on x-http: connection refused (2), timeout (1)". One check only.
 */
export function checkReasonText(c: Pick<CheckSignal, 'checkName' | 'failing' | 'total' | 'classes'>): string {
  const of = `${c.failing} of ${c.total} location${c.total === 1 ? '' : 's'}`;
  if (c.classes.length === 1) return `${of}: ${classWords(c.classes[0].errorClass)} on ${c.checkName}`;
  return `${of} failing on ${c.checkName}: ${describeClasses(c.classes)}`;
}

export function describeClasses(classes: readonly ClassCount[]): string {
  return classes.map((k) => `${classWords(k.errorClass)} (${k.locations})`).join(', ');
}
