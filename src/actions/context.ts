// What an action may use from the world, passed in explicitly rather than read from process-wide
// state: the file-system boundary, the policy engine, the guarded writer, the redaction and the
// network policy. The CLI makes one per command (cli/context.ts); tests make their own. So a new
// command gets the same boundary, writer, redaction and limits by construction.
import type { TemplateFetcher } from "../integrity/fetch-hosted-template.js";
import type { writeGuarded } from "../io/guarded-writer.js";
import type { FileBoundary } from "../io/project-boundary.js";
import type { NetworkPolicy as RequestPolicy } from "../net/network-policy.js";
import type { RegoEngine } from "../rego/engine-port.js";

export type { FileBoundary };

export interface NetworkPolicy {
  /** request timeout and overall deadline for the clients (--request-timeout, --deadline; src/net/network-policy.ts) */
  policy: RequestPolicy;
  /** how hosted templates are fetched (validate --online, deploy, publish): https at every hop, size and time bounds */
  templateFetcher: () => TemplateFetcher;
}

export interface ActionContext {
  /** the run's folder and project boundary; passed down to every reader in src/io (project-boundary.ts) */
  files: FileBoundary;
  /** the policy engine, loaded once, on first use */
  engine: () => Promise<RegoEngine>;
  /** every file write (src/io/guarded-writer.ts): confined to the folder it was asked to write to */
  write: typeof writeGuarded;
  /** removes secrets from text meant for people or logs (src/io/redact.ts) */
  redact: (text: string) => string;
  net: NetworkPolicy;
  /** a progress line for people; the CLI shows it on stderr or drops it (--json); never data */
  progress: (line: string) => void;
  now: () => Date;
}
