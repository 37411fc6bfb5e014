import { networkOf, type PrefixLengths } from '../net/ip-prefix.js';
import type { RateCharge } from '../store/report-claims.js';
import type { Limiter } from './limiter.js';

/** The limits a report is charged to: its address, its network (/24, /64), and its network's share of one service. */
export const LIMITS = ['address', 'prefix', 'service'] as const;
export type LimitName = (typeof LIMITS)[number];

/** Why a request was refused: the limit it exceeded and when to try again. */
export interface LimitRefusal {
  limit: LimitName;
  retryAfterS: number;
}

/**
 * Which buckets a report is charged to, and how much. Every anonymous report costs one token
 * of its address, one of its network and one of its network's bucket for the service it is
 * about; a batch costs one per line. One person rotating user agents or addresses inside one
 * network therefore runs dry as fast as one address would, and no network can stand in for a
 * crowd on one service. The buckets themselves are `Limiter`s keyed by plain strings.
 */
export class LimitPolicy {
  constructor(
    private readonly limiters: Readonly<Record<LimitName, Limiter>>,
    private readonly lengths: PrefixLengths,
    /** Told of every refusal, with the number of reports refused (metrics). */
    private readonly onRefused: (limit: LimitName, reports: number) => void = () => undefined,
  ) {}

  /** The sender's network key (`1.2.3.0/24`). */
  network(ip: string): string {
    return networkOf(ip, this.lengths);
  }

  /** Charges `cost` to the sender's address and network; null when both allow it. */
  admitSender(ip: string, network: string, now: number, cost = 1): LimitRefusal | null {
    const { address, prefix } = this.limiters;
    if (!address.take(ip, now, cost)) return this.refuse('address', ip, now, cost);
    if (!prefix.take(network, now, cost)) {
      address.refund(ip, now, cost);
      return this.refuse('prefix', network, now, cost);
    }
    return null;
  }

  /** Gives back what admitSender took (the request was refused further on for another limit). */
  refundSender(ip: string, network: string, now: number, cost = 1): void {
    this.limiters.address.refund(ip, now, cost);
    this.limiters.prefix.refund(network, now, cost);
  }

  /** Charges `cost` to the network's share of one service; null when allowed. */
  admitService(network: string, serviceId: number, now: number, cost = 1): LimitRefusal | null {
    return this.limiters.service.take(network, now, cost, serviceId) ? null : this.refuse('service', network, now, cost, serviceId);
  }

  /**
   * The charges admitSender and admitService made, in the form the cluster-wide state takes
   * (src/store/report-claims.ts), each key named by its limit. Cluster mode claims them in
   * the commit, so the limits hold across nodes.
   */
  charges(ip: string, network: string, serviceIds: readonly number[], cost = 1): RateCharge[] {
    const { address, prefix, service } = this.limiters;
    const named = (limit: LimitName, c: RateCharge): RateCharge => ({ ...c, key: `${limit}:${c.key}` });
    const out = [named('address', address.charge(ip, cost)), named('prefix', prefix.charge(network, cost))];
    // One token of the service bucket per report (a batch lists a service once per line).
    for (const id of serviceIds) out.push(named('service', service.charge(network, 1, id)));
    return out;
  }

  private refuse(limit: LimitName, key: string, now: number, cost: number, scope = 0): LimitRefusal {
    this.onRefused(limit, cost);
    return { limit, retryAfterS: this.limiters[limit].retryAfterSeconds(key, now, cost, scope) };
  }
}
