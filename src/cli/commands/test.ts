// azpol test: flags → the test action (streamed through render/test-run.ts) → the summary or a report format → exit code.
import { Option, type Command } from "commander";
import { ExitCode, UsageError } from "../../errors.js";
import type { ObjectReport } from "../../manifest-check/check-manifests.js";
import { ENGINE_CHOICES, type EngineChoice } from "../../rego/engine-choice.js";
import { DEFAULT_EVAL_TIMEOUT_MS, DEFAULT_MEMORY_LIMIT_MIB } from "../../rego/engine-defaults.js";
import type { CommandIo } from "../command-io.js";
import { GATEKEEPER_OF_ADDON } from "../../core/addon-version.js";
import { addAllowOutsideProjectOption, addDefinitionOptions, collect, parseOverrides } from "../flags.js";

interface TestOptions {
  format: "text" | "json" | "junit" | "sarif";
  allowOutsideProject?: boolean;
  evalTimeout: string;
  evalMemory: string;
  definitions: string;
  param?: string[];
  json?: boolean;
  quiet?: boolean;
  engine: EngineChoice;
  kustomize?: string[];
  recursive?: boolean;
  attack?: boolean;
}

export function registerTest(program: Command, io: CommandIo): void {
  const { output } = io;
  const command = program
    .command("test")
    .description("evaluate constraint templates with OPA: run gator suites, or check manifests against your definitions")
    .argument("[paths...]", "suite.yaml files, manifests, folders, or - for standard input (default: the suites under constraint-templates/)")
    .option("--attack", "instead of testing, attack each definition's template with the bypass families azpol defends against (look-alike hosts, Docker Hub aliases, ports, case, digests, image IDs, init/ephemeral containers, image volumes, every workload kind, an oversized Pod); exit 1 if any gets through")
    .option("-R, --recursive", "read the subfolders of a folder of manifests too, as kubectl apply -R does (without it they are skipped and named)");
  addDefinitionOptions(command, { definitions: "definitions to check manifests against", param: "assignment value for a policy parameter when checking manifests (repeatable)" })
    .option("-k, --kustomize <dir>", "check what a kustomization renders, read as `kubectl apply -k <dir>` reads it (repeatable; native engine)", collect)
    .option("--eval-timeout <seconds>", "bound on one evaluation of one object (native engine)", String(DEFAULT_EVAL_TIMEOUT_MS / 1000))
    .option("--eval-memory <MiB>", "bound on the engine's memory; it is stopped above it (native engine, Linux)", String(DEFAULT_MEMORY_LIMIT_MIB))
    .addOption(
      new Option("--engine <engine>", `which code judges a template: auto (${GATEKEEPER_OF_ADDON} choice: CEL when the template has K8sNativeValidation code, else Rego), rego or cel`)
        .choices([...ENGINE_CHOICES])
        .default("auto"),
    );
  addAllowOutsideProjectOption(command)
    .addOption(new Option("--format <format>", "text, json (as --json), junit (JUnit XML for CI test tabs) or sarif (SARIF 2.1.0 for code scanning)").choices(["text", "json", "junit", "sarif"]).default("text"))
    .option("--json", "print the results as JSON")
    .option("-q, --quiet", "print only failures and violations")
    .addHelpText(
      "after",
      "\nSuites use gator's format (kind: Suite). Manifests may hold many documents and Lists; each object\nis matched like Gatekeeper does (kinds, namespaces, excludedNamespaces, labelSelector) using the\nconstraint Azure would install for each definition. An object is 'ok' only when a constraint matched\nit and found nothing; otherwise it is 'excluded' (the match leaves it out) or 'not checked' (no\ndefinition checks its kind, e.g. a ConfigMap or a ConstraintTemplate), with the reason. An object whose\nevaluation Gatekeeper's webhook could not finish within its 3 s timeout (or half of it, the margin)\nis 'undecided', an error: the AKS add-on fails open and admits it (counted, not timed). A folder is\nread as kubectl apply -f reads it (dotfiles included; subfolders with -R); what is skipped is named.\n--attack checks a template before you trust it.\nExit codes: 0 all passed / no violations, 1 failures, violations, undecided objects, unreadable\nfiles, objects given but none checked, or (--attack) a bypass that gets through, 2 usage error (including a definition\nparameter with no default and no --param).",
    )
    .action(io.handler(async (paths: string[], options: TestOptions) => {
      if (options.json) options.format = "json";
      const structured = options.format !== "text";
      const evalTimeout = Number(options.evalTimeout);
      if (!Number.isFinite(evalTimeout) || evalTimeout <= 0 || evalTimeout > 3600) throw new UsageError(`--eval-timeout must be a number of seconds, 1-3600, got ${JSON.stringify(options.evalTimeout)}`);
      const evalMemory = Number(options.evalMemory);
      if (!Number.isInteger(evalMemory) || evalMemory < 64 || evalMemory > 1024 * 1024) throw new UsageError(`--eval-memory must be a whole number of MiB, at least 64, got ${JSON.stringify(options.evalMemory)}`);
      const ctx = await io.context({ allowOutsideProject: options.allowOutsideProject, engine: { evalTimeoutMs: evalTimeout * 1000, memoryLimitMiB: evalMemory } });
      if (options.attack) {
        if (paths.length || options.kustomize?.length) throw new UsageError("--attack takes no paths: it attacks the templates of the definitions (--definitions) with objects it makes itself");
        const { attackDefinitions } = await import("../../actions/attack.js");
        const attacked = await attackDefinitions({ definitions: options.definitions, overrides: parseOverrides(options.param), engine: options.engine }, ctx);
        (await import("./test-attack.js")).renderAttack(attacked, output, structured);
        return attacked.ok ? ExitCode.Ok : ExitCode.Findings;
      }
      const reports: ObjectReport[] = [];
      const request = { paths, recursive: options.recursive === true, kustomizations: options.kustomize ?? [], definitions: options.definitions, overrides: parseOverrides(options.param), engine: options.engine };
      // the action (the build pipeline, the engine) loads only when the command runs, not for --help
      const [{ test }, { testEvents }, { renderTestResult }] = await Promise.all([import("../../actions/test.js"), import("../render/test-run.js"), import("../render/test-result.js")]);
      const result = await test(request, ctx, testEvents(output, options, structured, reports));
      renderTestResult(result, reports, output, options.format);
      return result.ok ? ExitCode.Ok : ExitCode.Findings;
    }));
}
