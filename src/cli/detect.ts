import { createReadStream } from 'node:fs';
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { DEFAULT_ALARM_SCORE, detectCsv, TIMESTAMP_FORMATS } from '../detect/detect-csv.js';
import { DEFAULT_DETECTOR_OPTIONS } from '../detect/detector-options.js';
import type { TimestampFormat } from '../detect/detect-csv.js';

interface DetectFlags {
  input: string;
  format: TimestampFormat;
  alarmOnly?: boolean;
  json?: boolean;
  threshold: number;
  learn?: number;
}

export function registerDetect(program: Command): void {
  program
    .command('detect')
    .description('run the anomaly detector over a timestamp,value CSV and write timestamp,value,anomaly_score,label')
    .requiredOption('-i, --input <file>', 'CSV file of timestamp,value rows (header optional), or - for stdin')
    .option('--format <format>', `output timestamps: ${TIMESTAMP_FORMATS.join(' | ')} (nab = YYYY-MM-DD HH:MM:SS UTC)`, parseFormat, 'input')
    .option('--alarm-only', 'write one line per alarm (start,end,peak,value,anomaly_score,points,open) instead of every row')
    .option('--json', 'write JSON lines instead of CSV')
    .option('--threshold <score>', 'anomaly score that opens an alarm', parseThreshold, DEFAULT_ALARM_SCORE)
    .option('--learn <rows>', `rows the score learns from before it scores fully (default ${DEFAULT_DETECTOR_OPTIONS.learnPoints}; NAB uses 15% of the file, at most 750)`, parseLearn)
    .action(async (opts: DetectFlags) => {
      const source = opts.input === '-' ? process.stdin : createReadStream(opts.input);
      source.setEncoding('utf8');
      const input = source as AsyncIterable<string>;
      const onWarning = (message: string): void => {
        process.stderr.write(`stormwatch: warning: ${message}\n`);
      };
      try {
        const detector = opts.learn === undefined ? {} : { learnPoints: opts.learn };
        const lines = detectCsv(input, { format: opts.format, output: opts.alarmOnly ? 'alarms' : 'rows', json: opts.json, threshold: opts.threshold, detector, onWarning });
        for await (const out of lines) {
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

function parseThreshold(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !(x > 0 && x <= 1)) throw new InvalidArgumentError('expected a score in (0, 1]');
  return x;
}

function parseLearn(value: string): number {
  const x = Number(value);
  if (!/^\d+$/.test(value.trim()) || !(x >= 1 && x <= 1_000_000)) throw new InvalidArgumentError('expected a whole number of rows from 1 to 1000000');
  return x;
}
