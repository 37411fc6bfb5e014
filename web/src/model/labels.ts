/** Names where the API gives codes: service names in incident titles, region names beside ISO codes. */

/**
 * An incident's title with the service's display name: the engine titles incidents with the
 * slug ("x: major outage reported"), which reads as a code to people.
 */
export function incidentTitle(incident: { service: string; title: string }, serviceName: string | undefined): string {
  if (!serviceName || serviceName === incident.service) return incident.title;
  const prefix = `${incident.service}:`;
  if (incident.title.toLowerCase().startsWith(prefix.toLowerCase())) return `${serviceName}:${incident.title.slice(prefix.length)}`;
  return incident.title;
}

/** Looks up a region's English name: an ISO 3166-1 country or an ISO 3166-2 subdivision. */
export type RegionNameLookup = (code: string) => string | undefined;

/** "California (US-CA)", "Germany (DE)"; the code as given when no name is known ("unknown"). */
export function regionLabel(code: string, lookup: RegionNameLookup | undefined): string {
  const upper = code.toUpperCase();
  const name = lookup?.(upper);
  return name && name !== upper ? `${name} (${upper})` : code;
}
