// The context of one command run, made from the process: the working folder and the project
// boundary (--allow-outside-project), the shared engine, the guarded writer, the output
// redaction and the network limits. Every command's action gets its context from here.
import type { ActionContext } from "../actions/context.js";
import { httpsTemplateFetcher } from "../integrity/fetch-hosted-template.js";
import { networkPolicy, type NetworkPolicy } from "../net/network-policy.js";
import { writeGuarded } from "../io/guarded-writer.js";
import { redactSecrets } from "../io/redact.js";
import { configureEngine, loadEngine } from "../rego/engine.js";
import type { EngineOptions } from "../rego/engine-port.js";
import type { Output } from "./output.js";

export interface ContextOptions {
  /** --allow-outside-project: sources may point anywhere */
  allowOutsideProject?: boolean | undefined;
  /** progress lines are for people: not with --json or another structured format */
  quiet?: boolean | undefined;
  /** bounds on one evaluation (azpol test --eval-timeout, --eval-memory) */
  engine?: EngineOptions | undefined;
  /** the network policy from --request-timeout and --deadline (cli/network-options.ts), for commands that take them */
  network?: NetworkPolicy | undefined;
}

export function cliContext(output: Output, options: ContextOptions = {}): ActionContext {
  const cwd = process.cwd();
  const projectRoot = options.allowOutsideProject === true ? undefined : cwd;
  // the readers in src/io take this boundary as a parameter: the actions pass ctx.files down
  // the engine is loaded once per process; its bounds are set before it loads
  // (and its notes go through this run's output, the boundary, not straight to stderr)
  configureEngine({ ...options.engine, onNote: (line) => output.err(`azpol: note: ${line}`) });
  return {
    files: { cwd, projectRoot },
    engine: loadEngine,
    write: writeGuarded,
    redact: redactSecrets,
    net: { policy: options.network ?? networkPolicy({}), templateFetcher: () => httpsTemplateFetcher(undefined, options.network) },
    progress: (line) => {
      if (options.quiet !== true) output.err(line);
    },
    now: () => new Date(),
  };
}
