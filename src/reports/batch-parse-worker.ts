import { parentPort, workerData } from 'node:worker_threads';
import { parseBatchLines } from './batch-lines.js';
import { Fingerprinter } from './fingerprint.js';
import { linesTransferList, type ParseJob, type ParseReply, type ParserWorkerData } from './batch-parser.js';

/** Worker thread entry: parses NDJSON batch bodies off the main thread (see batch-parser.ts). */
const data = workerData as ParserWorkerData;
const fingerprints = new Fingerprinter(data.secret);
const decoder = new TextDecoder();
const port = parentPort;
if (port) {
  port.on('message', (job: ParseJob) => {
    let reply: ParseReply;
    try {
      const body = typeof job.body === 'string' ? job.body : decoder.decode(job.body);
      const lines = parseBatchLines(body, {
        admin: job.admin,
        now: job.now,
        maxFutureMs: data.maxFutureMs,
        reporterFingerprint: (reporter, ts) => fingerprints.fingerprint(`r\0${reporter}`, '', ts),
      });
      reply = { id: job.id, ok: true, lines };
      port.postMessage(reply, linesTransferList(lines));
    } catch (err) {
      reply = { id: job.id, ok: false, message: err instanceof Error ? err.message : String(err) };
      port.postMessage(reply);
    }
  });
}
