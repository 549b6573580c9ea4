// Every azpol command by name, with what the top-level --help shows for it, and how to load it.
// A command's module (and everything it imports: the build pipeline, the engine, the Azure SDKs)
// is imported only when that command runs, so `azpol --help` and `azpol <cmd> --help` start in a
// blink. test/cli/command-table.test.ts holds each row equal to what the command's own module
// registers, so the table cannot drift from the commands.
import type { Command } from "commander";
import type { CommandIo } from "./command-io.js";
import { asksForHelp, commandWords, setsEngineBounds } from "./command-words.js";

export type Register = (program: Command, io: CommandIo) => void;

export interface CommandEntry {
  name: string;
  /** as commander's Help.subcommandTerm prints it: name, " [options]" when it has any, its arguments */
  term: string;
  description: string;
  load: () => Promise<Register>;
  /** it always evaluates on the engine: the engine is started while the command's code loads */
  usesEngine?: true;
}

/** In the order --help lists them. */
export const COMMANDS: readonly CommandEntry[] = [
  {
    name: "new",
    term: "new [options]",
    description: "scaffold a definition source from a preset or from any ConstraintTemplate, an initiative of existing definitions, or an assignment",
    load: async () => (await import("./commands/new.js")).registerNew,
  },
  {
    name: "validate",
    term: "validate [options] [paths...]",
    description: "check definition, initiative and assignment sources, their templates and exemptions, without writing anything",
    load: async () => (await import("./commands/validate.js")).registerValidate,
  },
  {
    name: "explain",
    term: "explain [options] [code]",
    description: "say what a diagnostic code (AZPnnnn) means, how severe it is and how to fix it",
    load: async () => (await import("./commands/explain.js")).registerExplain,
  },
  {
    name: "build",
    term: "build [options] [paths...]",
    description: "turn definition sources into Azure Policy JSON (ARM, portal), az/PowerShell scripts, ARM templates, Bicep and Terraform",
    load: async () => (await import("./commands/build.js")).registerBuild,
  },
  {
    name: "publish",
    term: "publish [options] [paths...]",
    description: "upload the definitions' templates to an Azure Storage container under content-addressed names, for source: PublicURL",
    load: async () => (await import("./commands/publish.js")).registerPublish,
  },
  {
    name: "import",
    term: "import [options] <definition>",
    description:
      "turn an existing Kubernetes policy definition (policy.json, portal JSON, az output, VS Code extension output, or a definition id) into an azpol source; a policy set (initiative), as JSON or by id, becomes initiatives/<name>/initiative.yaml over its members (imported before, or, by id, read from Azure with it); an assignment id becomes assignments/<name>.yaml",
    load: async () => (await import("./commands/import.js")).registerImport,
  },
  {
    name: "fix",
    term: "fix [options] [paths...]",
    description: "move images your definitions deny to the registry they name as replacement (k8s.gcr.io → registry.k8s.io), in manifests and Helm values",
    load: async () => (await import("./commands/fix.js")).registerFix,
    usesEngine: true,
  },
  {
    name: "impact",
    term: "impact [options] [source]",
    description: "what would break if your definitions were set to Deny now: the live cluster's workloads (or kubectl output on stdin) checked against them",
    load: async () => (await import("./commands/impact.js")).registerImpact,
    usesEngine: true,
  },
  {
    name: "mirror",
    term: "mirror [options] [paths...]",
    description: "plan how to get every image your definitions deny into your Azure Container Registry (artifact-cache rules or imports), then print the az commands or --apply it",
    load: async () => (await import("./commands/mirror.js")).registerMirror,
  },
  {
    name: "test",
    term: "test [options] [paths...]",
    description: "evaluate constraint templates with OPA: run gator suites, or check manifests against your definitions",
    load: async () => (await import("./commands/test.js")).registerTest,
    usesEngine: true,
  },
  {
    name: "deploy",
    term: "deploy [options] [paths...]",
    description: "create or update the definitions, initiatives, assignments and exemptions in Azure; shows a plan first",
    load: async () => (await import("./commands/deploy.js")).registerDeploy,
  },
  {
    name: "status",
    term: "status [options]",
    description: "list the policy assignments azpol made at a scope, with their exemptions",
    load: async () => (await import("./commands/status.js")).registerStatus,
  },
  {
    name: "bench",
    term: "bench [options] <manifests...>",
    description: "measure how fast each definition's template judges the given manifests (setup, latency per review, reviews/s), like gator bench",
    load: async () => (await import("./commands/bench.js")).registerBench,
    usesEngine: true,
  },
  {
    name: "completion",
    term: "completion <shell>",
    description: "print a shell completion script: bash, zsh or pwsh",
    load: async () => (await import("./commands/completion.js")).registerCompletion,
  },
];

/**
 * The commands a command line needs loaded: the one it runs (command-words.ts), the one `help <cmd>` describes, every
 * command for `completion` (its script lists every command's flags; not for its --help), none for `azpol --help`.
 * A word that names no command loads nothing: commander reports it as unknown.
 */
export function commandsToLoad(argv: readonly string[]): "all" | string[] {
  const [first, second] = commandWords(argv);
  if (first === undefined) return [];
  if (first === "completion" && !asksForHelp(argv)) return "all";
  if (first === "help") return second === undefined ? [] : [second];
  return [first];
}

/**
 * Whether to start the engine before the command's code has loaded (the native engine's start and
 * handshake then overlap with loading): for a command that always evaluates, not for its --help,
 * and not when --eval-timeout or --eval-memory set bounds the engine must start with.
 */
export function startsEngineEarly(argv: readonly string[]): boolean {
  const entry = COMMANDS.find((c) => c.name === commandWords(argv)[0]);
  return entry?.usesEngine === true && !asksForHelp(argv) && !setsEngineBounds(argv);
}
