import type { Command } from 'commander';
import { registerAgent } from './agent.js';
import { registerAnalyze } from './analyze.js';
import { registerServe } from './serve.js';
import { registerSimulateAccessLog } from './simulate-access-log.js';
import { registerDetect } from './detect.js';
import { registerSimulate } from './simulate.js';
import { registerToken } from './token.js';

export type RegisterCommand = (program: Command) => void;

/** Every subcommand; each file parses its options and calls into a domain. */
export const commands: readonly RegisterCommand[] = [registerServe, registerAgent, registerDetect, registerSimulate, registerAnalyze, registerSimulateAccessLog, registerToken];
