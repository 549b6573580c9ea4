// Spawns the built CLI (npm run build) the way a user runs it.
import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";

export const CLI = join(import.meta.dirname, "..", "..", "dist", "src", "cli", "main.js");

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI's environment: this process's, without colour forcing (tests read plain text), plus `env`. */
function cliEnv(env: NodeJS.ProcessEnv | undefined): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _f, ...rest } = process.env;
  return { ...rest, ...env };
}

export function azpol(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }): CliRun {
  const run = spawnSync(process.execPath, [CLI, ...args], { cwd: options.cwd, env: cliEnv(options.env), input: options.input ?? "", encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** Runs any command without blocking this process (a fake server in this process must keep answering). */
export function runAsync(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; input?: string }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/** Async variant, for tests whose fake server runs in this same process. */
export function azpolAsync(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; input?: string }): Promise<CliRun> {
  return runAsync(process.execPath, [CLI, ...args], { cwd: options.cwd, env: cliEnv(options.env), ...(options.input !== undefined ? { input: options.input } : {}) });
}
