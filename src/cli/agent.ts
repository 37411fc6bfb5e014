import type { Command } from 'commander';
import { ProbeAgent } from '../probes/agent.js';
import { exitOnSignal } from './exit-on-signal.js';

/** `stormwatch agent`: a probe agent for one location, reporting to a server. */
export function registerAgent(program: Command): void {
  program
    .command('agent')
    .description('run a probe agent: pull checks from the server, run them, push results (spooled to disk while the server is away)')
    .requiredOption('--server <url>', 'Stormwatch server URL, e.g. https://status.example.com')
    .requiredOption('--token <token>', 'agent token from POST /api/v1/agents (or STORMWATCH_AGENT_TOKEN)', process.env.STORMWATCH_AGENT_TOKEN)
    .option('--location <name>', 'where this agent runs, e.g. "Frankfurt, DE" (optional when the agent was created with a location: the server\'s wins)')
    .option('--spool <dir>', 'directory for unsent results and the last assignments', './data/agent-spool')
    .option('--concurrency <n>', 'probes in flight at once', (v) => Number.parseInt(v, 10), 32)
    .action(async (opts: { server: string; token: string; location?: string; spool: string; concurrency: number }) => {
      if (!/^https?:\/\//.test(opts.server)) throw new Error('--server must be an http(s) URL');
      if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1 || opts.concurrency > 4096) throw new Error('--concurrency must be 1..4096');
      let stopping: Promise<void> | undefined;
      const agent: ProbeAgent = new ProbeAgent({
        server: opts.server,
        token: opts.token,
        ...(opts.location ? { location: opts.location } : {}),
        spoolDir: opts.spool,
        concurrency: opts.concurrency,
        log: (line) => console.error(`agent: ${line}`),
        // A refused token cannot heal by itself: keep the results on disk and say so.
        onFatal: (err) => {
          stopping ??= agent.stop().finally(() => {
            console.error(`stormwatch agent: ${err.message}; unsent results stay in ${opts.spool}`);
            process.exit(2);
          });
        },
      });
      try {
        await agent.start();
      } catch (err) {
        await agent.stop().catch(() => undefined);
        console.error(`stormwatch agent: ${(err as Error).message}`);
        process.exit(2);
      }
      console.log(`stormwatch agent "${agent.currentLocation ?? '?'}" running ${agent.getStats().checks} checks against ${opts.server}`);
      // One status line a minute, so an operator sees progress and a growing spool.
      const status = setInterval(() => {
        const s = agent.getStats();
        console.log(`agent: ${s.checks} checks, ${s.produced} results, ${s.acknowledged} acknowledged, ${s.spooled} spooled, drift p99 ${Math.round(s.drift.p99)} ms`);
      }, 60_000);
      status.unref();
      exitOnSignal('agent', async () => {
        clearInterval(status);
        await agent.stop(); // flushes results to the server or the spool
      });
    });
}
