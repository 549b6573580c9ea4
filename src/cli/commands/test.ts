import { resolve } from "node:path";
import { Option, type Command } from "commander";
import { AzpolError, ExitCode, UsageError } from "../../errors.js";
import { STDIN } from "../../io/read-input.js";
import { shownPath } from "../../io/load-definitions.js";
import { problemLocation, type ManifestProblem, type ManifestSource } from "../../io/manifests.js";
import { renderKustomization } from "../../io/kustomization.js";
import { checkManifests, type ObjectReport } from "../../check/check-manifests.js";
import { exclusionHint, exclusionReason } from "../../check/object-verdict.js";
import { runSuite, type CaseResult } from "../../io/run-suites.js";
import { configureEngine, loadEngine } from "../../rego/engine.js";
import { TemplateCache } from "../../rego/evaluate.js";
import { ENGINE_CHOICES, engineLabel, type EngineChoice } from "../../rego/engine-choice.js";
import { setProjectBoundary } from "../../io/project-boundary.js";
import type { Output } from "../output.js";
import { paint } from "../render/colour.js";
import { toJunit, toSarif } from "../render/test-report.js";
import { collect, parseOverrides } from "../flags.js";
import { definitionPolicies } from "../../pipeline/definition-policies.js";
import { GATEKEEPER_OF_ADDON } from "../../core/addon-version.js";
import { classify } from "./test-inputs.js";

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

export function registerTest(program: Command, output: Output, setExit: (code: number) => void): void {
  program
    .command("test")
    .description("evaluate constraint templates with OPA: run gator suites, or check manifests against your definitions")
    .argument("[paths...]", "suite.yaml files, manifests, or folders (default: constraint-templates)")
    .option("-k, --kustomize <dir>", "check what a kustomization renders, read as `kubectl apply -k <dir>` reads it (repeatable; native engine)", collect)
    .option("--definitions <path>", "definitions to check manifests against", "definitions")
    .option("--param <name=value>", "assignment value for a policy parameter when checking manifests (repeatable)", collect)
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
    .action(async (paths: string[], options: TestOptions) => {
      if (options.json) options.format = "json";
      const structured = options.format !== "text";
      setProjectBoundary(options.allowOutsideProject === true ? undefined : process.cwd());
      const kustomizations = options.kustomize ?? [];
      const { suites, manifests } = classify(paths.length || kustomizations.length ? paths : ["constraint-templates"]);
      if (suites.length === 0 && manifests.length === 0 && kustomizations.length === 0) throw new UsageError("nothing to test: no suite.yaml and no manifests found");
      const evalTimeout = Number(options.evalTimeout);
      if (!Number.isFinite(evalTimeout) || evalTimeout <= 0 || evalTimeout > 3600) throw new UsageError(`--eval-timeout must be a number of seconds, 1-3600, got ${JSON.stringify(options.evalTimeout)}`);
      const evalMemory = Number(options.evalMemory);
      if (!Number.isInteger(evalMemory) || evalMemory < 64 || evalMemory > 1024 * 1024) throw new UsageError(`--eval-memory must be a whole number of MiB, at least 64, got ${JSON.stringify(options.evalMemory)}`);
      configureEngine({ evalTimeoutMs: evalTimeout * 1000, memoryLimitMiB: evalMemory });
      if (output.interactive && !structured) output.err("loading the OPA engine...");
      const engine = await loadEngine();
      // Say so rather than pretend: a synchronous wasm call cannot be interrupted.
      if (engine.kind === "wasm") output.err("warning: the js/wasm engine cannot bound an evaluation's time or memory (--eval-timeout, --eval-memory are not applied); build the native engine with Go ('npm run build:engine') for both");
      const cache = new TemplateCache(engine, options.engine);

      const cases: CaseResult[] = [];
      for (const s of suites) cases.push(...(await runSuite(s, cache)));
      // Suite results first; manifest reports stream after them as each run of objects is checked.
      if (!structured) renderCases(cases, output, options.quiet === true);
      const reports: ObjectReport[] = [];
      let objectCount = 0;
      let violatingCount = 0;
      let excludedCount = 0;
      let excludedReasons: string[] = [];
      let problems: ManifestProblem[] = [];
      let policyCount = 0;
      const engines: { definition: string; template: string; engine: string }[] = [];
      const sources: { path: ManifestSource; shown: string }[] = manifests.map((m) => ({ path: m, shown: m === STDIN ? "<stdin>" : shownPath(m) }));
      const renderProblems: ManifestProblem[] = [];
      for (const dir of kustomizations) {
        const rendered = await renderKustomization(engine, dir);
        if ("error" in rendered) renderProblems.push({ file: `${dir} (kustomize)`, document: 0, line: 1, message: rendered.error });
        else sources.push({ path: { text: rendered.yaml }, shown: `${shownPath(resolve(dir))} (kustomize)` });
      }
      if (sources.length || renderProblems.length) {
        const { policies } = definitionPolicies(options.definitions, parseOverrides(options.param));
        policyCount = policies.length;
        for (const p of policies) {
          const decided = cache.engineFor(p.template);
          if (typeof decided !== "string") throw new AzpolError("UnsupportedEngine", decided.error);
          engines.push({ definition: p.definition, template: p.template.name, engine: engineLabel(decided) });
          if (!structured && !options.quiet) output.err(`${p.definition}: template ${p.template.name} is judged by its ${engineLabel(decided)} code`);
        }
        const startedAt = performance.now();
        let lastProgress = startedAt;
        const check = await checkManifests(
          cache,
          policies,
          sources,
          {
            report(r) {
              if (structured) reports.push(r);
              else if (!(options.quiet && r.violations.length === 0)) renderReport(r, output);
            },
            progress(p) {
              const now = performance.now();
              if (now - startedAt < 2000 || now - lastProgress < 2000) return;
              lastProgress = now;
              output.err(`azpol test: ${p.objects.toLocaleString("en-US")} objects checked (file ${p.file} of ${p.files}, ${Math.floor((100 * p.bytes) / Math.max(1, p.totalBytes))}%)`);
            },
          },
        );
        objectCount = check.objects;
        violatingCount = check.violating;
        excludedCount = check.excluded;
        excludedReasons = check.excludedReasons;
        problems = [...renderProblems, ...check.problems];
      }

      const failed = cases.filter((c) => c.status === "fail" || c.status === "error");
      const ok = failed.length === 0 && violatingCount === 0 && problems.length === 0;
      if (options.format === "json") output.out(JSON.stringify({ ok, opaVersion: engine.opaVersion, engines, cases, objects: reports, problems }, null, 2));
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
      setExit(ok ? ExitCode.Ok : ExitCode.Findings);
    });
}

function renderCases(cases: CaseResult[], output: Output, quiet: boolean): void {
  let current = "";
  for (const c of cases) {
    if (quiet && c.status === "pass") continue;
    if (c.suite !== current) {
      current = c.suite;
      output.out(current);
    }
    const label = { pass: paint.green("ok  "), fail: paint.red("FAIL"), skip: paint.yellow("skip"), error: paint.red("ERR ") }[c.status];
    const engine = c.engine && (c.status === "pass" || c.status === "fail") ? ` [${c.engine}]` : "";
    output.out(`  ${label} ${[c.test, c.case].filter(Boolean).join(" / ")}${engine}${c.problems.length ? `: ${c.problems.join("; ")}` : ""}`);
  }
}

function renderReport(r: ObjectReport, output: Output): void {
  const verdict = r.verdict === "ok" ? ": ok" : r.verdict === "excluded" ? `: ${paint.yellow(`excluded (${exclusionReason(r.excluded)})`)}` : "";
  output.out(`${r.location} ${r.object}${verdict}`);
  for (const v of r.violations) output.out(`  ${paint.red(v.enforcementAction.padEnd(6))} ${v.constraint}: ${v.msg}`);
}
