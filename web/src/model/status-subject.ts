import type { Service, ServiceStatus } from '../api/types.js';

/** What a public status page covers: one service, or every service of a category (a group). */
export interface StatusSubject {
  name: string;
  group: boolean;
  services: Service[];
  status: ServiceStatus;
}

export const STATUS_RANK: Record<ServiceStatus, number> = { operational: 0, under_maintenance: 0, degraded_performance: 1, partial_outage: 2, major_outage: 3 };

export function worstStatus(services: readonly Service[]): ServiceStatus {
  return services.reduce<ServiceStatus>((w, s) => (STATUS_RANK[s.status] > STATUS_RANK[w] ? s.status : w), 'operational');
}

/** "Social media" → "social-media": how a category appears in a status page URL. */
export function categorySlug(category: string): string {
  return category
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

export function groupSubject(slug: string, services: readonly Service[]): StatusSubject | undefined {
  const members = services.filter((s) => s.category !== undefined && categorySlug(s.category) === slug);
  if (members.length === 0) return undefined;
  return { name: members[0].category ?? slug, group: true, services: members, status: worstStatus(members) };
}
