/**
 * On SIGTERM or SIGINT: say so, run `stop` (flush and close), then exit 0, or 1 when
 * stopping failed. Shared by the long-running commands (serve, agent).
 */
export function exitOnSignal(name: string, stop: () => Promise<void>): void {
  const shutdown = (signal: string): void => {
    console.log(`${name}: ${signal}, shutting down`);
    stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}
