// Exceptions are for "cannot continue"; problems in user files are Diagnostics (model/diagnostics.ts).
// An error may carry the diagnostics that made it (sources that do not build): the CLI's error
// boundary (cli/run.ts) prints them before the error, so deep code never prints.
import type { Diagnostic } from "./model/diagnostics.js";

export const ExitCode = {
  Ok: 0,
  Findings: 1,
  Usage: 2,
  Azure: 3,
  Aborted: 4,
  Internal: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export class AzpolError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  /** the problems in the user's files behind this error, printed before it */
  readonly diagnostics: readonly Diagnostic[];

  constructor(code: string, message: string, exitCode: ExitCode = ExitCode.Findings, options?: { cause?: unknown; diagnostics?: readonly Diagnostic[] | undefined }) {
    super(message, options);
    this.name = "AzpolError";
    this.code = code;
    this.exitCode = exitCode;
    this.diagnostics = options?.diagnostics ?? [];
  }
}

/** Bad flags or arguments: exit 2. */
export class UsageError extends AzpolError {
  constructor(message: string, diagnostics?: readonly Diagnostic[]) {
    super("UsageError", message, ExitCode.Usage, { diagnostics });
    this.name = "UsageError";
  }
}

/** A declined confirmation: soft failure, exit 4. */
export class AbortError extends AzpolError {
  constructor(message: string) {
    super("Aborted", message, ExitCode.Aborted);
    this.name = "AbortError";
  }
}

/** ARM answered with an error (or could not be reached): exit 3. */
export class AzureError extends AzpolError {
  readonly statusCode: number | undefined;
  readonly requestId: string | undefined;

  constructor(
    code: string,
    message: string,
    info: { statusCode?: number | undefined; requestId?: string | undefined; cause?: unknown } = {},
  ) {
    super(code, message, ExitCode.Azure, { cause: info.cause });
    this.name = "AzureError";
    this.statusCode = info.statusCode;
    this.requestId = info.requestId;
  }
}
