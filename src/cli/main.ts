import { Command } from 'commander';
import { commands } from './commands.js';

/** The `stormwatch` command line: every subcommand registers itself from ./commands.ts. */
export function buildProgram(): Command {
  const program = new Command('stormwatch')
    .description('Outage detection: crowd reports, anomaly detection, probes, status pages and attack forensics')
    .version('0.1.0')
    .showHelpAfterError()
    .exitOverride((err) => {
      // commander exits by itself for --help/--version; keep its exit codes.
      throw err;
    });
  for (const register of commands) register(program);
  return program;
}

async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (err) {
    const code = (err as { exitCode?: number; code?: string }).exitCode;
    if (typeof code === 'number') process.exit(code);
    console.error(`stormwatch: ${(err as Error).message}`);
    process.exit(1);
  }
}

await main(process.argv);
