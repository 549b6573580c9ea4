// azpol test: flags → the test action (streamed through render/test-run.ts) → the summary or a report format → exit code.
import { Option, type Command } from "commander";
import { ExitCode, UsageError } from "../../errors.js";
import { problemLocation } from "../../io/manifests.js";
import type { ObjectReport } from "../../check/check-manifests.js";
import { test } from "../../actions/test.js";
import { testEvents } from "../render/test-run.js";
import { exclusionHint } from "../../check/object-verdict.js";
import { ENGINE_CHOICES, type EngineChoice } from "../../rego/engine-choice.js";
import type { CommandIo } from "../command-io.js";
import { toJunit, toSarif } from "../render/test-report.js";
import { GATEKEEPER_OF_ADDON } from "../../core/addon-version.js";
import { collect, parseOverrides } from "../flags.js";

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
}

export function registerTest(program: Command, io: CommandIo): void {
  const { output } = io;
  program
    .command("test")
    .description("evaluate constraint templates with OPA: run gator suites, or check manifests against your definitions")
    .argument("[paths...]", "suite.yaml files, manifests, or folders (default: constraint-templates)")
    .option("--definitions <path>", "definitions to check manifests against", "definitions")
    .option("--param <name=value>", "assignment value for a policy parameter when checking manifests (repeatable)", collect)
    .option("-k, --kustomize <dir>", "check what a kustomization renders, read as `kubectl apply -k <dir>` reads it (repeatable; native engine)", collect)
    .option("--eval-timeout <seconds>", "bound on one evaluation of one object (native engine)", "10")
    .option("--eval-memory <MiB>", "bound on the engine's memory; it is stopped above it (native engine, Linux)", "2048")
    .addOption(
      new Option("--engine <engine>", `which code judges a template: auto (${GATEKEEPER_OF_ADDON} choice: CEL when the template has K8sNativeValidation code, else Rego), rego or cel`)
        .choices([...ENGINE_CHOICES])
        .default("auto"),
    )
    .option("--allow-outside-project", "let definitions and suites point at files outside the working folder")
    .addOption(new Option("--format <format>", "text, json (as --json), junit (JUnit XML for CI test tabs) or sarif (SARIF 2.1.0 for code scanning)").choices(["text", "json", "junit", "sarif"]).default("text"))
    .option("--json", "print the results as JSON")
    .option("-q, --quiet", "print only failures and violations")
    .addHelpText(
      "after",
      "\nSuites use gator's format (kind: Suite). Manifests may hold many documents and Lists; each object\nis matched like Gatekeeper does (kinds, namespaces, excludedNamespaces, labelSelector) using the\nconstraint Azure would install for each definition.\nExit codes: 0 all passed / no violations, 1 failures or violations, 2 usage error.",
    )
    .action(io.handler(async (paths: string[], options: TestOptions) => {
      if (options.json) options.format = "json";
      const structured = options.format !== "text";
      const evalTimeout = Number(options.evalTimeout);
      if (!Number.isFinite(evalTimeout) || evalTimeout <= 0 || evalTimeout > 3600) throw new UsageError(`--eval-timeout must be a number of seconds, 1-3600, got ${JSON.stringify(options.evalTimeout)}`);
      const evalMemory = Number(options.evalMemory);
      if (!Number.isInteger(evalMemory) || evalMemory < 64 || evalMemory > 1024 * 1024) throw new UsageError(`--eval-memory must be a whole number of MiB, at least 64, got ${JSON.stringify(options.evalMemory)}`);
      const ctx = io.context({ allowOutsideProject: options.allowOutsideProject, engine: { evalTimeoutMs: evalTimeout * 1000, memoryLimitMiB: evalMemory } });
      const reports: ObjectReport[] = [];
      const request = { paths, kustomizations: options.kustomize ?? [], definitions: options.definitions, overrides: parseOverrides(options.param), engine: options.engine };
      const result = await test(request, ctx, testEvents(output, options, structured, reports));
      const { cases, problems, objects: objectCount, violating: violatingCount, excluded: excludedCount, excludedReasons, policies: policyCount, ok } = result;
      const failed = cases.filter((c) => c.status === "fail" || c.status === "error");
      if (options.format === "json") output.out(JSON.stringify({ ok, opaVersion: result.opaVersion, engines: result.engines, cases, objects: reports, problems }, null, 2));
      else if (options.format === "junit") output.out(toJunit(cases, reports, problems));
      else if (options.format === "sarif") output.out(toSarif(cases, reports, problems));
      else {
        for (const p of problems) output.out(`${problemLocation(p)}: cannot read: ${p.message}`);
        if (cases.length) {
          const skipped = cases.filter((c) => c.status === "skip").length;
          output.out(`${cases.length - failed.length - skipped} passed, ${failed.length} failed${skipped ? `, ${skipped} skipped` : ""}`);
        }
        if (objectCount || problems.length) {
          output.out(`${objectCount} object${objectCount === 1 ? "" : "s"} checked against ${policyCount} polic${policyCount === 1 ? "y" : "ies"}: ${violatingCount} with violations${excludedCount ? `, ${excludedCount} excluded` : ""}${problems.length ? `, ${problems.length} unreadable` : ""}`);
        }
        const hint = exclusionHint(excludedCount, excludedReasons);
        if (hint) output.err(`hint: ${hint}`);
      }
      return ok ? ExitCode.Ok : ExitCode.Findings;
    }));
}
