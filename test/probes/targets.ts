import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import dns2 from 'dns2';

/**
 * Real loopback targets for probe tests: an HTTP server that is up, one that is slow, a
 * closed port, an HTTPS server with a self-signed certificate, and a DNS server that
 * knows some names and answers NXDOMAIN (or SERVFAIL) for others.
 */
export interface Targets {
  up: string;
  slow: string;
  failing: string;
  refused: string;
  badTls: string;
  badTlsHostPort: string;
  dnsResolver: string;
  close(): Promise<void>;
}

export async function startTargets(options: { slowMs?: number } = {}): Promise<Targets> {
  const slowMs = options.slowMs ?? 1500;
  const servers: { close(): void }[] = [];
  const app = http.createServer((req, res) => {
    if (req.url?.startsWith('/slow')) {
      setTimeout(() => res.end('{"status":"up"}'), slowMs);
      return;
    }
    if (req.url?.startsWith('/fail')) {
      res.statusCode = 503;
      res.end('{"status":"down"}');
      return;
    }
    if (req.url?.startsWith('/redirect')) {
      res.writeHead(302, { location: '/health' }).end();
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end('{"status":"up"}');
  });
  app.keepAliveTimeout = 30_000;
  const port = await listen(app);
  servers.push({ close: () => app.close() });

  const { key, cert } = selfSignedCert();
  const tlsServer = https.createServer({ key, cert }, (_req, res) => res.end('ok'));
  const tlsPort = await listen(tlsServer);
  servers.push({ close: () => tlsServer.close() });

  const refusedPort = await closedPort();

  const dnsServer = dns2.createServer({
    udp: true,
    handle: (request, send) => {
      const response = dns2.Packet.createResponseFromRequest(request);
      const [q] = request.questions;
      const name = q?.name.toLowerCase() ?? '';
      if (name === 'up.stormwatch.test') {
        // dns2 encodes plain records; its typings ask for the class instance it builds from them.
        const answer = { name: q.name, type: dns2.Packet.TYPE.A, class: dns2.Packet.CLASS.IN, ttl: 60, address: '127.0.0.1' };
        response.answers.push(answer as unknown as (typeof response.answers)[number]);
      } else if (name === 'broken.stormwatch.test') {
        response.header.rcode = dns2.Packet.RCODE.SERVFAIL;
      } else {
        response.header.rcode = dns2.Packet.RCODE.NXDOMAIN;
      }
      send(response);
    },
  });
  const addresses = await dnsServer.listen({ udp: { port: 0, address: '127.0.0.1' } });
  const dnsPort = (addresses as { udp: { port: number } }).udp.port;

  return {
    up: `http://127.0.0.1:${port}/health`,
    slow: `http://127.0.0.1:${port}/slow`,
    failing: `http://127.0.0.1:${port}/fail`,
    refused: `http://127.0.0.1:${refusedPort}/`,
    badTls: `https://127.0.0.1:${tlsPort}/`,
    badTlsHostPort: `127.0.0.1:${tlsPort}`,
    dnsResolver: `127.0.0.1:${dnsPort}`,
    close: async () => {
      app.closeAllConnections();
      tlsServer.closeAllConnections();
      for (const s of servers) s.close();
      await dnsServer.close();
    },
  };
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

/** A port nothing listens on: bound once by us, then released. */
export async function closedPort(): Promise<number> {
  const s = net.createServer();
  const port = await listen(s);
  await new Promise((r) => s.close(r));
  return port;
}

let cached: { key: string; cert: string } | undefined;
export function selfSignedCert(): { key: string; cert: string } {
  if (cached) return cached;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sw-cert-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', keyFile, '-out', certFile, '-days', '2', '-subj', '/CN=localhost'], { stdio: 'ignore' });
  cached = { key: fs.readFileSync(keyFile, 'utf8'), cert: fs.readFileSync(certFile, 'utf8') };
  fs.rmSync(dir, { recursive: true, force: true });
  return cached;
}
