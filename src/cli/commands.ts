import type { Command } from 'commander';
import { registerAgent } from './agent.js';
import { registerServe } from './serve.js';
import { registerDetect } from './detect.js';

export type RegisterCommand = (program: Command) => void;

/** Every subcommand; each file parses its options and calls into a domain. */
export const commands: readonly RegisterCommand[] = [registerServe, registerAgent, registerDetect];
