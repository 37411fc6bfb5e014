import { ProberRegistry } from './prober.js';
import { DnsProber } from './probers/dns.js';
import { HttpProber, type HttpProberOptions } from './probers/http.js';
import { IcmpProber } from './probers/icmp.js';
import { TcpProber } from './probers/tcp.js';
import { TlsProber } from './probers/tls.js';

/** Every built-in check type; agents and the server build one each. */
export function defaultRegistry(options: HttpProberOptions = {}): ProberRegistry {
  return new ProberRegistry([new HttpProber(options), new TcpProber(), new DnsProber(), new TlsProber(), new IcmpProber()]);
}
