// `deploy --dry-run --detailed-exitcode`, as terraform plan -detailed-exitcode: 0 nothing to do,
// 2 changes pending, 1 any error. The error side is decided here, at the one error boundary
// (run.ts), so every failure maps to 1, usage errors found by the argument parser included.
import { ExitCode } from "../errors.js";

export const DETAILED_EXIT = { none: 0, error: 1, pending: 2 } as const;

/** Whether the command line asks for detailed exit codes (flags after "--" are arguments). */
export function wantsDetailedExitcode(argv: string[]): boolean {
  const end = argv.indexOf("--");
  return (end < 0 ? argv : argv.slice(0, end)).includes("--detailed-exitcode");
}

/** An error's exit code under --detailed-exitcode: every failure is 1, so 2 only ever means "changes pending". */
export function detailedErrorCode(code: number, detailed: boolean): number {
  return detailed && code !== ExitCode.Ok ? DETAILED_EXIT.error : code;
}
