import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deriveServiceStatus } from '../../src/status/derive.js';
import { STATUS_RANK, emptyInputs, type CheckSignal, type StatusInputs } from '../../src/status/model.js';

const NOW = Date.UTC(2026, 0, 1, 12);
const failing = (name: string, status: CheckSignal['status'], failingN: number, total: number, classes: [string, number][], since = NOW - 60_000): CheckSignal => ({
  checkId: `id-${name}`, checkName: name, status, failing: failingN, total, quorum: 2, since,
  classes: classes.map(([errorClass, locations]) => ({ errorClass, locations })),
});
const fine = (name: string): CheckSignal => ({ checkId: `id-${name}`, checkName: name, status: 'operational', failing: 0, total: 3, quorum: 2, classes: [] });
const inputs = (p: Partial<StatusInputs>): StatusInputs => ({ ...emptyInputs(), ...p });

describe('deriveServiceStatus', () => {
  it('is operational with no reasons when nothing is wrong', () => {
    expect(deriveServiceStatus(inputs({ checks: [fine('x-http')] }), NOW)).toEqual({ status: 'operational', reasons: [] });
  });

  it('a check failing from 3 of 3 locations makes a major outage, named per check and class', () => {
    const d = deriveServiceStatus(inputs({ checks: [fine('x-http'), failing('x-tcp', 'major_outage', 3, 3, [['connection_refused', 3]])] }), NOW);
    expect(d.status).toBe('major_outage');
    expect(d.reasons).toEqual([
      {
        source: 'probe', status: 'major_outage', text: '3 of 3 locations: connection refused on x-tcp', effective: true, since: NOW - 60_000,
        checkId: 'id-x-tcp', checkName: 'x-tcp', failing: 3, total: 3, classes: [{ errorClass: 'connection_refused', locations: 3 }],
      },
    ]);
  });

  it('names every class of one check and keeps two checks apart', () => {
    const d = deriveServiceStatus(
      inputs({ checks: [failing('x-http', 'partial_outage', 2, 4, [['timeout', 1], ['http_5xx', 1]]), failing('x-dns', 'major_outage', 4, 4, [['dns', 4]])] }),
      NOW,
    );
    expect(d.status).toBe('major_outage');
    expect(d.reasons.map((r) => r.text)).toEqual(['4 of 4 locations: DNS failure on x-dns', '2 of 4 locations failing on x-http: timeout (1), HTTP 5xx (1)']);
  });

  it('a crowd incident degrades, or is a major outage while a major wave lasts', () => {
    const crowd = (level: 'degraded' | 'major_outage') => inputs({ crowd: [{ incidentId: 'x-1', title: 'x: problems reported', level, openedAt: NOW - 5 }] });
    expect(deriveServiceStatus(crowd('degraded'), NOW).status).toBe('degraded_performance');
    expect(deriveServiceStatus(crowd('major_outage'), NOW)).toMatchObject({ status: 'major_outage', reasons: [{ source: 'crowd', incidentId: 'x-1', effective: true }] });
  });

  it('crowd and probes together: the worst wins, both are reasons', () => {
    const d = deriveServiceStatus(
      inputs({ crowd: [{ incidentId: 'x-1', title: 't', level: 'degraded', openedAt: NOW - 5 }], checks: [failing('x-tcp', 'partial_outage', 2, 3, [['timeout', 2]])] }),
      NOW,
    );
    expect(d.status).toBe('partial_outage');
    expect(d.reasons.map((r) => r.source)).toEqual(['probe', 'crowd']);
  });

  it('an active maintenance window makes it under maintenance; failures are kept as non-effective reasons', () => {
    const d = deriveServiceStatus(
      inputs({ checks: [failing('x-tcp', 'major_outage', 3, 3, [['connection_refused', 3]])], maintenance: [{ id: 'm1', title: 'database upgrade', startsAt: NOW - 1, endsAt: NOW + 3_600_000 }] }),
      NOW,
    );
    expect(d.status).toBe('under_maintenance');
    expect(d.reasons.map((r) => [r.source, r.effective])).toEqual([['maintenance', true], ['probe', false]]);
    // Over, or not yet begun: no effect.
    expect(deriveServiceStatus(inputs({ maintenance: [{ id: 'm', title: 't', startsAt: NOW + 1, endsAt: NOW + 2 }] }), NOW).status).toBe('operational');
    expect(deriveServiceStatus(inputs({ maintenance: [{ id: 'm', title: 't', startsAt: NOW - 2, endsAt: NOW }] }), NOW).status).toBe('operational');
  });

  it('the latest active operator override decides, over maintenance and every automatic signal', () => {
    const d = deriveServiceStatus(
      inputs({
        checks: [failing('x-tcp', 'major_outage', 3, 3, [['connection_refused', 3]])],
        maintenance: [{ id: 'm1', title: 'upgrade', startsAt: NOW - 10, endsAt: NOW + 10 }],
        overrides: [
          { id: 'o1', status: 'partial_outage', message: 'We are investigating', since: NOW - 100 },
          { id: 'o2', status: 'degraded_performance', message: 'Recovering', since: NOW - 50 },
          { id: 'o3', status: 'major_outage', message: 'expired', since: NOW - 500, until: NOW - 400 },
        ],
      }),
      NOW,
    );
    expect(d.status).toBe('degraded_performance');
    expect(d.reasons.map((r) => [r.source, r.effective, r.text])).toEqual([
      ['operator', true, 'Recovering'],
      ['maintenance', false, 'scheduled maintenance: upgrade'],
      ['probe', false, '3 of 3 locations: connection refused on x-tcp'],
    ]);
  });

  it('without operator or maintenance, the status is the worst reason, and every failing check is a reason of its own', () => {
    const statuses = ['operational', 'degraded_performance', 'partial_outage', 'major_outage'] as const;
    const check = fc.record({ name: fc.constantFrom('a', 'b', 'c', 'd'), status: fc.constantFrom(...statuses), failing: fc.integer({ min: 1, max: 5 }) });
    fc.assert(
      fc.property(fc.uniqueArray(check, { selector: (c) => c.name, maxLength: 4 }), fc.option(fc.constantFrom('degraded', 'major_outage') as fc.Arbitrary<'degraded' | 'major_outage'>), (checks, crowd) => {
        const d = deriveServiceStatus(
          inputs({
            checks: checks.map((c) => (c.status === 'operational' ? fine(c.name) : failing(c.name, c.status, c.failing, 5, [['timeout', c.failing]]))),
            crowd: crowd ? [{ incidentId: 'i', title: 't', level: crowd, openedAt: NOW }] : [],
          }),
          NOW,
        );
        const worst = Math.max(0, ...d.reasons.map((r) => STATUS_RANK[r.status]));
        expect(STATUS_RANK[d.status]).toBe(worst);
        expect(d.reasons.filter((r) => r.source === 'probe').map((r) => r.checkName).sort()).toEqual(checks.filter((c) => c.status !== 'operational').map((c) => c.name).sort());
        for (const r of d.reasons) if (r.source === 'probe') expect(r.text.endsWith(` on ${r.checkName}`) || r.text.includes(` on ${r.checkName}:`)).toBe(true);
        expect(d.reasons.every((r) => r.effective)).toBe(true);
      }),
    );
  });
});
