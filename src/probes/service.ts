import Value from 'typebox/value';
import type { Bus } from '../events/bus.js';
import type { CheckSource, ProbeRepository } from '../store/probe-repository.js';
import type { Clock } from '../time/clock.js';
import { CheckDefinition, CheckDefinitionError, type Check } from './check.js';
import { validateCheck } from './compile.js';
import type { ProberRegistry } from './prober.js';
import type { ErrorClass, ProbeResult } from './result.js';

export class CheckConflictError extends Error {}

export interface MatrixRow {
  location: string;
  /** The newest result, or null when this location has not reported yet. */
  last: ProbeResult | null;
  recent: ProbeResult[];
  okRatio: number | null;
}

export interface Matrix {
  check: Check;
  rows: MatrixRow[];
  summary: { locations: number; failing: number; errorClasses: Partial<Record<ErrorClass, number>> };
}

/**
 * The probes domain as the HTTP layer, the config loader and the agents see it: validated
 * check definitions, result intake (stored once, then published on the bus), assignments
 * and the connectivity matrix.
 */
export class ProbeService {
  constructor(
    private readonly repo: ProbeRepository,
    private readonly registry: ProberRegistry,
    private readonly bus: Bus,
    private readonly clock: Clock,
    /** Sees the results stored by this node (the duration histogram of `/metrics`). */
    private readonly observe?: (results: readonly ProbeResult[]) => void,
  ) {}

  /** Schema defaults and checks, then the semantic checks (target, conditions). */
  normalize(input: unknown): CheckDefinition {
    const withDefaults = Value.Default(CheckDefinition, structuredClone(input));
    if (!Value.Check(CheckDefinition, withDefaults)) {
      const err = [...Value.Errors(CheckDefinition, withDefaults)].sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
      const extra = (err?.params as { additionalProperties?: string[] } | undefined)?.additionalProperties?.[0];
      const field = [err?.instancePath.replace(/^\//, '').replace(/\//g, '.'), extra].filter(Boolean).join('.');
      throw new CheckDefinitionError(field, extra ? `${field}: unknown key` : `${field || 'check'}: ${err?.message ?? 'is invalid'}`);
    }
    const def = withDefaults as CheckDefinition;
    validateCheck(def, this.registry);
    return def;
  }

  /** Check definitions changed, here or (in cluster mode) on another node. */
  onChange(listener: () => void): () => void {
    return this.bus.subscribe('checks.changed', () => listener());
  }

  async createCheck(input: unknown, source: CheckSource = 'api', id?: string): Promise<Check> {
    const def = this.normalize(input);
    if (await this.repo.getCheckByName(def.name)) throw new CheckConflictError(`a check named "${def.name}" already exists`);
    const check = await this.repo.createCheck(def, source, this.clock.now(), id);
    this.changed();
    return check;
  }

  /** Merges the given top-level fields into the check and validates the whole again. */
  async updateCheck(id: string, patch: Record<string, unknown>): Promise<Check | undefined> {
    const current = await this.repo.getCheck(id);
    if (!current) return undefined;
    const { id: _id, ...def } = current;
    const merged: Record<string, unknown> = { ...def };
    for (const [k, v] of Object.entries(patch)) {
      if (v === null) delete merged[k];
      else merged[k] = v;
    }
    const next = this.normalize(merged);
    if (next.name !== current.name) {
      const other = await this.repo.getCheckByName(next.name);
      if (other && other.id !== id) throw new CheckConflictError(`a check named "${next.name}" already exists`);
    }
    const updated = await this.repo.replaceCheck(id, next, this.clock.now());
    this.changed();
    return updated;
  }

  async deleteCheck(id: string): Promise<boolean> {
    const ok = await this.repo.deleteCheck(id);
    if (ok) this.changed();
    return ok;
  }

  /**
   * Makes the stored config checks match the config: new ones created, changed ones
   * replaced, removed ones deleted. Ids are stable (`cfg-` + name) so results survive.
   */
  async syncConfigChecks(inputs: readonly unknown[]): Promise<void> {
    const defs = inputs.map((input, i) => {
      try {
        return this.normalize(input);
      } catch (err) {
        if (err instanceof CheckDefinitionError) throw new CheckDefinitionError(`checks[${i}]${err.field ? `.${err.field}` : ''}`, err.message);
        throw err;
      }
    });
    const now = this.clock.now();
    const keep = new Set<string>();
    for (const [i, def] of defs.entries()) {
      const id = configCheckId(def.name);
      if (keep.has(id)) throw new CheckDefinitionError(`checks[${i}].name`, `"${def.name}" is too close to another check's name (both become id ${id})`);
      keep.add(id);
      const existing = await this.repo.getCheckByName(def.name);
      if (existing && existing.id !== id) throw new CheckDefinitionError('checks', `check "${def.name}" already exists (created through the API)`);
      if (existing) await this.repo.replaceCheck(id, def, now);
      else await this.repo.createCheck(def, 'config', now, id);
    }
    for (const check of await this.repo.listChecks({ source: 'config' })) if (!keep.has(check.id)) await this.repo.deleteCheck(check.id);
    this.changed();
  }

  /** Enabled checks that run in `location` (a check with no locations runs everywhere). */
  async assignmentsFor(location: string): Promise<Check[]> {
    const all = await this.repo.listChecks();
    return all.filter((c) => c.enabled && (c.locations.length === 0 || c.locations.includes(location)));
  }

  /** Stores results (duplicates by id are ignored) and publishes the new ones. */
  async recordResults(results: readonly ProbeResult[]): Promise<{ accepted: number; duplicates: number }> {
    const inserted = await this.repo.insertResults(results, this.clock.now());
    if (inserted.length > 0) {
      this.observe?.(inserted);
      this.bus.publish(
        'probe.results',
        inserted.map((r) => ({
          checkId: r.checkId, location: r.location, ok: r.ok, at: r.at,
          ...(r.ok ? {} : { errorClass: r.errorClass }),
          ...(r.certExpiresAt !== undefined ? { certExpiresAt: r.certExpiresAt } : {}),
        })),
      );
    }
    return { accepted: inserted.length, duplicates: results.length - inserted.length };
  }

  async matrix(checkId: string, perLocation = 5): Promise<Matrix | undefined> {
    const check = await this.repo.getCheck(checkId);
    if (!check) return undefined;
    const latest = await this.repo.latestByLocation(checkId, perLocation);
    const locations = [...new Set([...check.locations, ...latest.keys()])].sort();
    const rows = locations.map((location): MatrixRow => {
      const recent = latest.get(location) ?? [];
      return {
        location,
        last: recent[0] ?? null,
        recent,
        okRatio: recent.length ? recent.filter((r) => r.ok).length / recent.length : null,
      };
    });
    const errorClasses: Partial<Record<ErrorClass, number>> = {};
    for (const row of rows) if (row.last && !row.last.ok) errorClasses[row.last.errorClass] = (errorClasses[row.last.errorClass] ?? 0) + 1;
    return { check, rows, summary: { locations: rows.length, failing: rows.filter((r) => r.last && !r.last.ok).length, errorClasses } };
  }

  private changed(): void {
    this.bus.publish('checks.changed', { at: this.clock.now() });
  }
}

export function configCheckId(name: string): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80);
  return `cfg-${slug || 'check'}`;
}
