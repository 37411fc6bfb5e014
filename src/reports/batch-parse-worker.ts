import { parentPort, workerData } from 'node:worker_threads';
import { Fingerprinter } from './fingerprint.js';
import { linesTransferList, parseBody, type ParseJob, type ParseReply, type ParserWorkerData } from './batch-parser.js';

/** Worker thread entry: parses NDJSON batch bodies off the main thread (see batch-parser.ts). */
const data = workerData as ParserWorkerData;
const fingerprints = new Fingerprinter(data.secret);
const port = parentPort;
if (port) {
  port.on('message', (job: ParseJob) => {
    let reply: ParseReply;
    try {
      const lines = parseBody(job.body, job.admin, job.now, data, fingerprints);
      reply = { id: job.id, ok: true, lines };
      port.postMessage(reply, linesTransferList(lines));
    } catch (err) {
      reply = { id: job.id, ok: false, message: err instanceof Error ? err.message : String(err) };
      port.postMessage(reply);
    }
  });
}
