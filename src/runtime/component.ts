/** A long-running part of the server (ingest queue, detector, agent, alert dispatch). */
export interface Component {
  readonly name: string;
  start(): Promise<void>;
  /** Stops taking work and flushes what was accepted. */
  stop(): Promise<void>;
}

/** Several components as one: started in order, stopped in reverse. */
export function componentGroup(name: string, parts: readonly Component[]): Component {
  return {
    name,
    async start() {
      for (const p of parts) await p.start();
    },
    async stop() {
      for (const p of [...parts].reverse()) await p.stop();
    },
  };
}
