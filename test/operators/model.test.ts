import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { automaticView } from '../../src/incidents/incident-view.js';
import type { Incident } from '../../src/incidents/incident.js';
import { adoptAutomatic, applyUpdate, openIncident } from '../../src/incidents/operator-incident.js';
import { dueTransitions, phaseAt, windowProblem, type Maintenance } from '../../src/maintenance/window.js';
import { LinkSigner } from '../../src/subscriptions/link-token.js';
import { maskAddress, normaliseEmail, scopeMatches } from '../../src/subscriptions/subscriber.js';
import { renderMarkdown } from '../../src/text/markdown.js';

const T0 = Date.UTC(2026, 2, 10, 12);
const ctx = { name: (s: string) => s.toUpperCase(), level: () => 'degraded' as const, html: (t: string) => t };

describe('operator incident model', () => {
  it('an impact sets the first statuses; resolving sets them back; each change records old and new', () => {
    const { incident, update } = openIncident({ title: 't', impact: 'critical', services: ['a'], update: { status: 'investigating', body: 'b' } }, { incident: 'i', update: 'u1' }, T0, () => 'operational');
    expect(incident.components).toEqual({ a: 'major_outage' });
    expect(update.components).toEqual([{ service: 'a', old: 'operational', new: 'major_outage' }]);
    const second = applyUpdate(incident, { status: 'monitoring', body: 'm' }, 'u2', T0 + 1, () => 'major_outage');
    expect(second.update.components).toEqual([]);
    expect(second.incident).toMatchObject({ status: 'monitoring', monitoringAt: T0 + 1 });
    const resolved = applyUpdate(second.incident, { status: 'resolved', body: 'r' }, 'u3', T0 + 2, () => 'major_outage');
    expect(resolved.update.components).toEqual([{ service: 'a', old: 'major_outage', new: 'operational' }]);
    expect(resolved.incident.resolvedAt).toBe(T0 + 2);
    // Reopening (an update after resolution) clears the resolution.
    expect(applyUpdate(resolved.incident, { status: 'investigating', body: 'again' }, 'u4', T0 + 3, () => 'operational').incident.resolvedAt).toBeUndefined();
  });

  it('an automatic incident: a wave after the operator resolved it reopens it', () => {
    const inc: Incident = { id: 'x-1', service: 'x', status: 'open', severity: 'degraded', title: 'x', openedAt: T0, peak: 1, reports: 1, phases: [{ start: T0, detectedAt: T0 + 60_000, peak: 1, end: T0 + 600_000 }], breakdown: [], regions: [], updatedAt: T0 };
    const op = applyUpdate(adoptAutomatic('x-1', 'x', T0), { status: 'resolved', body: 'ok' }, 'u', T0 + 700_000, () => 'degraded_performance').incident;
    expect(automaticView(inc, op, [], ctx)).toMatchObject({ status: 'closed', lifecycle: 'resolved', closedAt: T0 + 700_000, title: 'X: problems reported' });
    const rewave = { ...inc, phases: [...inc.phases, { start: T0 + 800_000, detectedAt: T0 + 860_000, peak: 3 }] };
    expect(automaticView(rewave, op, [], ctx)).toMatchObject({ status: 'open', lifecycle: 'investigating', components: [{ service: 'x', status: 'degraded_performance' }] });
  });
});

describe('maintenance windows', () => {
  const m: Maintenance = { id: 'm', title: 't', body: '', services: ['a'], startsAt: T0, endsAt: T0 + 1000, createdAt: 0, updatedAt: 0 };
  it('phase from the time; validation; due transitions in order', () => {
    expect([phaseAt(m, T0 - 1), phaseAt(m, T0), phaseAt(m, T0 + 1000)]).toEqual(['scheduled', 'in_progress', 'completed']);
    expect(windowProblem({ startsAt: 5, endsAt: 5 })?.field).toBe('endsAt');
    expect(windowProblem({ startsAt: 0, endsAt: 15 * 86_400_000 })?.message).toContain('14 days');
    expect(dueTransitions([m], T0 + 1).map((t) => t.transition)).toEqual(['started']);
    expect(dueTransitions([{ ...m, startedAt: T0 }], T0 + 1000).map((t) => t.transition)).toEqual(['ended']);
    expect(dueTransitions([{ ...m, startedAt: T0, endedAt: T0 + 1000 }], T0 + 5000)).toEqual([]);
  });
});

describe('subscriptions', () => {
  it('normalises addresses: property — an accepted address stays accepted, and never holds spaces or angle brackets', () => {
    fc.assert(
      fc.property(fc.oneof(fc.emailAddress(), fc.string({ maxLength: 80 })), (raw) => {
        const n = normaliseEmail(raw);
        if (n === undefined) return;
        expect(n).not.toMatch(/[\s<>()[\]\\,;:"]/);
        expect(normaliseEmail(n)).toBe(n);
        expect(n.length).toBeLessThanOrEqual(254);
      }),
      { numRuns: 2000 },
    );
    expect(normaliseEmail('Ann@Example.COM')).toBe('Ann@example.com');
    for (const bad of ['a@b', 'a b@c.de', '<a@b.cd>', 'a@-b.cd', '.a@b.cd', 'a..b@c.de', `${'x'.repeat(65)}@b.cd`]) expect(normaliseEmail(bad)).toBeUndefined();
  });

  it('masks addresses; scopes match services and categories', () => {
    expect(maskAddress({ kind: 'email', address: 'ann@example.com' })).toBe('a•••@example.com');
    expect(maskAddress({ kind: 'webhook', address: 'https://h.example/secret' })).toBe('https://h.example/…');
    expect(scopeMatches('*', [])).toBe(true);
    expect(scopeMatches('shop', [{ slug: 'shop' }])).toBe(true);
    expect(scopeMatches('store', [{ slug: 'shop', categorySlug: 'store' }])).toBe(true);
    expect(scopeMatches('blog', [{ slug: 'shop' }])).toBe(false);
  });

  it('signed links: bound to purpose, subscriber and expiry', () => {
    const s = new LinkSigner('k'.repeat(32));
    const t = s.sign('confirm', 'sub-1', T0);
    expect(s.verify('confirm', 'sub-1', t, T0, T0 - 1)).toBe(true);
    expect(s.verify('confirm', 'sub-1', t, T0, T0 + 1)).toBe(false);
    expect(s.verify('unsubscribe', 'sub-1', t, T0, T0 - 1)).toBe(false);
    expect(s.verify('confirm', 'sub-2', t, T0, T0 - 1)).toBe(false);
    expect(s.verify('confirm', 'sub-1', t, T0 + 1, T0 - 1)).toBe(false);
    expect(new LinkSigner('other-key-0123456789').verify('confirm', 'sub-1', t, T0, T0 - 1)).toBe(false);
  });
});

describe('markdown rendering (property): nothing that runs survives', () => {
  const fragments = ['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '[a](javascript:alert(1))', '[a](JAVASCRIPT:alert(1))', '[a](  javascript:x)', '<a href="javascript:x">', '<svg onload=x>', '<iframe src=x>', '[a](data:text/html,x)', '[a](vbscript:x)', '**b**', '`c`', '\n\n', '- item', '> q', '<', '>', '"', "'", 'text', '[ok](https://e.example)', '![i](https://e.example/x.png)', '<style>*{}</style>', '&lt;script&gt;'];
  it('no script, iframe, image, style or svg tag; no event handler; no script URL', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 12 })), { maxLength: 12 }), (parts) => {
        const html = renderMarkdown(parts.join(''));
        for (const tag of html.match(/<[a-z][^>]*>/gi) ?? []) {
          expect(tag).not.toMatch(/^<(script|iframe|img|style|svg|object|embed)/i);
          expect(tag).not.toMatch(/\son[a-z]+\s*=/i);
          expect(tag).not.toMatch(/(javascript|vbscript|data):/i);
        }
      }),
      { numRuns: 1500 },
    );
  });
});
