// azpol test: gator suites run against their templates, and manifests checked against the
// constraints Azure would install for the definitions. Results stream through `events` (suite
// cases first, then each object as it is checked); the outcome is returned, nothing is printed.
import { checkManifests, type ManifestCheck, type ObjectReport } from "../manifest-check/check-manifests.js";
import type { ParameterOverride } from "../core/parameter-override.js";
import { AzpolError, UsageError } from "../errors.js";
import { shownPath } from "../io/shown-path.js";
import { resolve } from "node:path";
import { renderKustomization } from "../io/kustomization.js";
import type { ManifestProblem, ManifestSource } from "../io/manifests.js";
import { STDIN } from "../io/read-input.js";
import type { CaseResult } from "../io/run-suites.js";
import { definitionPolicies } from "../pipeline/definition-policies.js";
import { engineLabel, type EngineChoice } from "../rego/engine-choice.js";
import { TemplateCache } from "../rego/template-cache.js";
import type { ActionContext } from "./context.js";
import { classify, defaultSuites } from "./test-inputs.js";
import type { SkippedPath } from "../io/manifest-files.js";
import type { Reach } from "../probe/reach.js";
import { reachOf, ReachCache } from "../pipeline/reach-cache.js";
import { mutateObject } from "../rego/mutate.js";
import { rememberWarmPlan } from "../pipeline/warm-plan.js";

export interface TestRequest {
  /** suite.yaml files, manifests or folders, "-" for stdin; [] = the suites under constraint-templates */
  paths: string[];
  /** read the subfolders of a folder of manifests (kubectl apply -R) */
  recursive?: boolean;
  /** kustomization folders, rendered as `kubectl apply -k` renders them */
  kustomizations: string[];
  definitions: string;
  overrides: ParameterOverride[];
  engine: EngineChoice;
}

export interface TestEvents {
  /** the engine is about to load (it takes a moment) */
  loadingEngine: () => void;
  /** the js/wasm engine cannot bound an evaluation: said, not pretended */
  unboundedEngine: () => void;
  /** every suite ran */
  cases: (cases: CaseResult[]) => void;
  /** which code (Rego or CEL) judges a definition's template */
  engineChosen: (e: { definition: string; template: string; engine: string }) => void;
  /** one object checked */
  report: (r: ObjectReport) => void;
  /** what a definition's template cannot see of the kinds it declares (probed before checking) */
  reach?: (r: Reach) => void;
  /** strict field validation could not run (the wasm engine): what the API server rejects is unknown */
  strictUnavailable?: (reason: string) => void;
  /** a long run's progress */
  progress: (p: { objects: number; file: number; files: number; bytes: number; totalBytes: number }) => void;
}

/** The manifest counts are checkManifests' own (one definition of each count), plus what test adds. */
export interface TestOutcome extends ManifestCheck {
  ok: boolean;
  opaVersion: string;
  engines: { definition: string; template: string; engine: string }[];
  cases: CaseResult[];
  /** objects were read but no constraint judged any of them */
  nothingChecked: boolean;
  policies: number;
  /** what kubectl apply -f would skip in the folders given, each with the reason */
  skipped: SkippedPath[];
  reach: Reach[];
  /** Mutate definitions applied before validation, and how many objects they changed */
  mutations: number;
  mutated: number;
  /** objects the Mutate definitions could not be applied to (Gatekeeper refused or did not converge) */
  mutationErrors: number;
}

export async function test(request: TestRequest, ctx: ActionContext, events: TestEvents): Promise<TestOutcome> {
  const kustomizations = request.kustomizations;
  // With no paths, the project's suites: never its templates read as if they were workloads.
  const { suites, manifests, skipped } = request.paths.length
    ? classify(request.paths, request.recursive === true)
    : kustomizations.length
      ? { suites: [], manifests: [], skipped: [] }
      : { suites: defaultSuites(), manifests: [], skipped: [] };
  if (suites.length === 0 && manifests.length === 0 && kustomizations.length === 0) {
    throw new UsageError(
      request.paths.length
        ? "nothing to test: no suite.yaml and no manifests found"
        : "nothing to test: no gator suite (kind: Suite) under constraint-templates/. Pass what to test: manifests or a folder of them (azpol test manifests/), standard input (helm template . | azpol test -), a kustomization (azpol test -k overlays/prod), or suite files (azpol test path/to/suite.yaml)",
    );
  }
  // The definitions are read while the engine starts (its process start and handshake are the
  // longest wait of a small run): the engine is asked for first and awaited after.
  events.loadingEngine();
  const starting = ctx.engine();
  starting.catch(() => undefined); // awaited below; a failure to start is reported there
  const hasManifests = manifests.length > 0 || kustomizations.length > 0;
  const fromDefinitions = hasManifests ? definitionPolicies(request.definitions, request.overrides, ctx.files) : undefined;
  const engine = await starting;
  // Say so rather than pretend: a synchronous wasm call cannot be interrupted.
  if (engine.kind === "wasm") events.unboundedEngine();
  const cache = new TemplateCache(engine, request.engine);

  const cases: CaseResult[] = [];
  if (suites.length) {
    // loaded only for suites: they bring gator's reader and a JSON Schema compiler (ajv), which a
    // run over manifests does not need
    const { runSuite } = await import("../io/run-suites.js");
    for (const s of suites) cases.push(...(await runSuite(s, cache, ctx.files)));
  }
  // a suite without a case checks nothing: never a silent pass (an empty suite printed nothing, exit 0)
  if (suites.length && cases.length === 0 && !hasManifests) {
    const names = suites.map((f) => shownPath(f));
    throw new UsageError(`nothing was checked: ${names.length === 1 ? `the suite ${names[0] ?? ""} holds` : `the suites ${names.join(", ")} hold`} no test case (tests[].cases); add cases, or pass manifests to check`);
  }
  events.cases(cases);
  const outcome = { objects: 0, violating: 0, excluded: 0, excludedReasons: [] as string[], notChecked: 0, rejected: 0, undecided: 0, problems: [] as ManifestProblem[], policies: 0, mutations: 0, mutated: 0, mutationErrors: 0 };
  const reach: Reach[] = [];
  const engines: TestOutcome["engines"] = [];
  const sources: { path: ManifestSource; shown: string }[] = manifests.map((m) => ({ path: m, shown: m === STDIN ? "<stdin>" : shownPath(m) }));
  const renderProblems: ManifestProblem[] = [];
  for (const dir of kustomizations) {
    const rendered = await renderKustomization(engine, dir);
    if ("error" in rendered) renderProblems.push({ file: `${dir} (kustomize)`, document: 0, line: 1, message: rendered.error });
    else sources.push({ path: { text: rendered.yaml }, shown: `${shownPath(resolve(ctx.files.cwd, dir))} (kustomize)` });
  }
  if (fromDefinitions) {
    const { policies, mutations } = fromDefinitions;
    outcome.policies = policies.length;
    outcome.mutations = mutations.length;
    if (mutations.length && !engine.gatekeeper) {
      throw new AzpolError("UnsupportedEngine", `mutation needs the native engine (Gatekeeper's pkg/mutation is linked only there), and the js/wasm engine is in use: ${mutations.map((m) => m.name).join(", ")} cannot be applied. Install Go so npm builds the native engine, or set AZPOL_ENGINE_PATH`);
    }
    for (const p of policies) {
      const decided = cache.engineFor(p.template);
      if (typeof decided !== "string") throw new AzpolError("UnsupportedEngine", decided.error);
      // compiled now, beside the reading of the manifests; a compile error is reported when an
      // object needs the template (the evaluation awaits this same compilation)
      if (decided === "Rego") cache.get(p.template).catch(() => undefined);
      const chosen = { definition: p.definition, template: p.template.name, engine: engineLabel(decided) };
      engines.push(chosen);
      events.engineChosen(chosen);
    }
    // what each template can see of the kinds its definition declares (warnings, never a
    // failure); remembered by content, so an unchanged definition is not probed again
    const reachCache = new ReachCache();
    for (const p of policies) {
      const r = await reachOf(p, reachCache, request.engine, () => Promise.resolve(cache));
      reach.push(r);
      events.reach?.(r);
    }
    const report = (r: Parameters<TestEvents["report"]>[0]) => {
      if (r.mutated) outcome.mutated++;
      if (r.mutationError) outcome.mutationErrors++;
      events.report(r);
    };
    const mutate = mutations.length ? { mutate: (o: Record<string, unknown>, ns: unknown) => mutateObject(engine, mutations, o, ns) } : {};
    const check = await checkManifests(cache, policies, sources, { report, progress: events.progress, ...(events.strictUnavailable ? { strictUnavailable: events.strictUnavailable } : {}), ...mutate });
    Object.assign(outcome, { objects: check.objects, violating: check.violating, excluded: check.excluded, excludedReasons: check.excludedReasons, notChecked: check.notChecked, rejected: check.rejected, undecided: check.undecided, problems: [...renderProblems, ...check.problems] });
  }
  // the next run's engine compiles these while azpol loads (pipeline/warm-plan.ts); speed only
  if (engine.kind === "native") rememberWarmPlan(ctx.files.cwd, cache.compileSources());
  const failed = cases.filter((c) => c.status === "fail" || c.status === "error");
  const judged = outcome.objects - outcome.excluded - outcome.notChecked - outcome.rejected;
  // an object a Mutate definition changed was acted on, even when no constraint judged it
  const nothingChecked = outcome.objects > 0 && judged === 0 && outcome.mutated === 0;
  const ok = failed.length === 0 && outcome.mutationErrors === 0 && outcome.violating === 0 && outcome.undecided === 0 && outcome.problems.length === 0 && outcome.rejected === 0 && !nothingChecked;
  return { ok, opaVersion: engine.opaVersion, engines, cases, ...outcome, nothingChecked, skipped, reach };
}
