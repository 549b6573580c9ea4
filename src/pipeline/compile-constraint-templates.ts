// The ConstraintTemplate stage of the build pipeline: AZP3007, a template whose Rego or CEL does not
// compile. Run by build, validate, publish and deploy, which must never ship such a template.
import type { BuildResult } from "./build-definitions.js";
import { sortDiagnostics, type Diagnostic } from "../model/diagnostics.js";
import { CompileCache, type CompileOutcome } from "./compile-cache.js";
import { loadEngine } from "../rego/engine.js";
import type { RegoEngine } from "../rego/engine-port.js";
import { asRecord, type ConstraintTemplate } from "../core/constraint-template.js";

/**
 * Compiles each distinct template with OPA, so a Rego error is caught here rather than on the
 * cluster (where a template that does not compile enforces nothing). Adds AZP3007 errors.
 * Outcomes are cached by content (compile-cache.ts): the engine loads only on a miss.
 */
export async function checkTemplatesCompile<T extends BuildResult>(result: T, cache = new CompileCache(), engineFor: () => Promise<RegoEngine> = loadEngine): Promise<T> {
  if (!result.ok) return result;
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const model of result.models) {
    const t = model.template;
    // Gatekeeper evaluates a template's CEL when it has any (engine-choice.ts), so the CEL is
    // checked too; the key covers both kinds of code.
    const key = compileKey(t);
    if (seen.has(key)) continue;
    seen.add(key);
    let outcome = cache.get(key, t.libs, t.regoVersion);
    if (!outcome) {
      const engine = await engineFor();
      outcome = await compileOutcome(engine, t);
      if (outcome) cache.set(key, t.libs, t.regoVersion, outcome);
    }
    if (outcome && !outcome.ok) diagnostics.push({ code: "AZP3007", severity: "error", message: `template ${t.name} does not compile: ${oneLine(outcome.error)}`, file: model.sourceFile, pointer: "/template/path" });
  }
  // a mutator Gatekeeper's own code refuses (MutatorFor*: e.g. an Assign on metadata) is AZP3014,
  // as the cluster would refuse it; the wasm engine does not link Gatekeeper, so only the shape is checked there
  for (const m of result.mutations) {
    const engine = await engineFor();
    if (!engine.gatekeeper) {
      // said, not pretended: only the mutator's shape was checked
      diagnostics.push({ code: "AZP3014", severity: "warning", message: `Gatekeeper's own check of the mutator ${m.mutator.kind} ${m.mutator.name} did not run: it needs the native engine, and the js/wasm engine is in use (only its shape was checked)`, file: m.sourceFile, pointer: "/template/path" });
      continue;
    }
    const checked = await engine.mutate({ mutators: [m.mutator.object] });
    if ("error" in checked) diagnostics.push({ code: "AZP3014", severity: "error", message: `Gatekeeper refuses the mutator ${m.mutator.kind} ${m.mutator.name}: ${checked.error.replace(/^error parsing resources: /, "")}`, file: m.sourceFile, pointer: "/template/path" });
  }
  if (diagnostics.length === 0) return result;
  if (!diagnostics.some((d) => d.severity === "error")) return { ...result, diagnostics: sortDiagnostics([...result.diagnostics, ...diagnostics]) };
  return { ...result, ok: false, models: [], mutations: [], artifacts: [], diagnostics: sortDiagnostics([...result.diagnostics, ...diagnostics]) };
}

/** The compile cache's key for a template: its Rego and, when it has CEL, its targets' code. */
export function compileKey(t: ConstraintTemplate): string {
  const cel = t.hasCel ? JSON.stringify(asRecord(t.object.spec)?.targets ?? null) : "";
  return `${t.rego ?? ""}\u0000${cel}`;
}

/** Compiles the Rego with OPA and the CEL with Gatekeeper's k8scel driver; undefined if the CEL cannot be checked here. */
async function compileOutcome(engine: RegoEngine, t: ConstraintTemplate): Promise<CompileOutcome | undefined> {
  try {
    if (t.rego !== undefined) (await engine.compile(t.rego, t.libs, t.regoVersion)).release();
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
  if (!t.hasCel) return { ok: true };
  if (!engine.gatekeeper) return undefined;
  // Gatekeeper's k8scel driver compiles CEL on first use, not when the template is added: a
  // broken expression shows up as a "compilation error: ..." result for every object. So one
  // probe Pod is reviewed with a constraint that sets no parameters.
  const constraint = { apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: t.kind, metadata: { name: "azpol-compile-probe" } };
  const prepared = await engine.prepareGatekeeper(t.object, constraint, "cel");
  if ("error" in prepared) return { ok: false, error: prepared.error };
  try {
    const [probe] = await prepared.review([{ object: { apiVersion: "v1", kind: "Pod", metadata: { name: "probe", namespace: "default" }, spec: { containers: [{ name: "c", image: "probe" }] } } }]);
    const broken = probe?.violations.find((v) => v.msg.startsWith("compilation error:"));
    return broken ? { ok: false, error: broken.msg } : { ok: true };
  } finally {
    prepared.release();
  }
}

/** OPA's multi-line errors (with caret diagrams) as one line: its "file:line: message" lines. */
function oneLine(message: string): string {
  const errors = message.split("\n").filter((l) => /^\S+\.rego:\d+: /.test(l));
  return errors.length ? errors.join("; ") : message.replace(/\s+/g, " ").trim();
}
