import type { ServiceRecord } from '../store/services-repo.js';
import { categorySlug } from './category.js';

/** What a status page covers: the whole page, one service, or a category's services. */
export interface StatusSubject {
  kind: 'page' | 'service' | 'category';
  slug: string;
  name: string;
  services: ServiceRecord[];
}

/** A service's slug wins over a category with the same slug; undefined when neither exists. */
export function resolveSubject(slug: string | undefined, services: readonly ServiceRecord[], pageName: string): StatusSubject | undefined {
  if (slug === undefined || slug === '*') return { kind: 'page', slug: '*', name: pageName, services: [...services] };
  const svc = services.find((s) => s.slug === slug);
  if (svc) return { kind: 'service', slug, name: svc.name, services: [svc] };
  const members = services.filter((s) => s.category !== undefined && categorySlug(s.category) === slug);
  if (members.length === 0) return undefined;
  return { kind: 'category', slug, name: members[0].category ?? slug, services: members };
}
