import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import { generateAccessLog, type AccessLogOptions, type AccessLogTruth } from './access-log.js';

/**
 * Writes a generated log to `file` (gzip when it ends in `.gz`, as concatenated members
 * so that memory stays flat) and its ground truth to `<file>.truth.json`.
 */
export function writeAccessLog(file: string, options: AccessLogOptions): AccessLogTruth {
  const fd = fs.openSync(file, 'w');
  const gzip = file.endsWith('.gz');
  let batch: string[] = [];
  let size = 0;
  const flush = (): void => {
    const data = Buffer.from(batch.join(''));
    fs.writeSync(fd, gzip ? gzipSync(data) : data);
    batch = [];
    size = 0;
  };
  try {
    const truth = generateAccessLog(options, (chunk) => {
      batch.push(chunk);
      size += chunk.length;
      if (size >= 4 * 1024 * 1024) flush();
    });
    if (size > 0) flush();
    fs.writeFileSync(`${file}.truth.json`, JSON.stringify(truth));
    return truth;
  } finally {
    fs.closeSync(fd);
  }
}
