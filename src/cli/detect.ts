import { createReadStream } from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { detectCsv, TIMESTAMP_FORMATS } from '../detect/detect-csv.js';
import type { TimestampFormat } from '../detect/detect-csv.js';

export function registerDetect(program: Command): void {
  program
    .command('detect')
    .description('run the anomaly detector over a timestamp,value CSV and write timestamp,value,anomaly_score,label')
    .requiredOption('-i, --input <file>', 'CSV file of timestamp,value rows (header optional), or - for stdin')
    .option('--format <format>', `output timestamps: ${TIMESTAMP_FORMATS.join(' | ')} (nab = YYYY-MM-DD HH:MM:SS UTC)`, parseFormat, 'input')
    .action(async (opts: { input: string; format: TimestampFormat }) => {
      const source = opts.input === '-' ? process.stdin : createReadStream(opts.input);
      source.setEncoding('utf8');
      const input = source as AsyncIterable<string>;
      try {
        for await (const out of detectCsv(input, opts.format)) {
          if (!process.stdout.write(out)) await new Promise((resolve) => process.stdout.once('drain', resolve));
        }
      } catch (err) {
        const e = err as NodeJS.ErrnoException;
        if (e.code === 'ENOENT' || e.code === 'EISDIR' || e.code === 'EACCES') throw new Error(`cannot read ${opts.input}: ${e.message}`, { cause: err });
        throw err;
      }
    });
}

function parseFormat(value: string): TimestampFormat {
  if (!(TIMESTAMP_FORMATS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${TIMESTAMP_FORMATS.join(', ')}`);
  }
  return value as TimestampFormat;
}
