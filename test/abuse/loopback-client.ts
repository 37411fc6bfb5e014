import http from 'node:http';

export interface LoopbackResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

export interface LoopbackRequest {
  /** The source address: any of 127.0.0.0/8, or ::1 (the server must then listen on ::). */
  from: string;
  port: number;
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/**
 * One HTTP request on its own connection from a chosen loopback address, so that a test can
 * play many distinct clients and networks against a real server (the whole of 127.0.0.0/8
 * is local on Linux; ::1 is the one IPv6 loopback address).
 */
export function send(r: LoopbackRequest): Promise<LoopbackResponse> {
  const v6 = r.from.includes(':');
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: v6 ? '::1' : '127.0.0.1', port: r.port, localAddress: r.from, family: v6 ? 6 : 4, method: r.method ?? 'GET', path: r.path, headers: r.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: <T>() => JSON.parse(body) as T });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });
}

/** A JSON report from `from`, with its own user agent. */
export function report(port: number, from: string, service: string, userAgent: string, headers: Record<string, string> = {}): Promise<LoopbackResponse> {
  return send({ from, port, method: 'POST', path: `/api/v1/services/${service}/reports`, headers: { 'content-type': 'application/json', 'user-agent': userAgent, ...headers }, body: JSON.stringify({ problem: 'app' }) });
}

/** True when the machine has IPv6 loopback (::1). */
export async function hasIpv6Loopback(): Promise<boolean> {
  const net = await import('node:net');
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(0, '::1', () => server.close(() => resolve(true)));
  });
}
