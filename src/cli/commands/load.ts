// Shared by build and validate: find the sources, read them, build.
import { resolve } from "node:path";
import { buildDefinitions, type BuildResult } from "../../core/build-definitions.js";
import { sortDiagnostics, type Diagnostic } from "../../core/diagnostics.js";
import { CompileCache } from "../../rego/compile-cache.js";
import { loadEngine } from "../../rego/engine.js";
import { parseOverrideArgument, type ParameterOverride } from "../../core/parameter-override.js";
import type { Format } from "../../emit/artifacts.js";
import { UsageError } from "../../errors.js";
import { findDefinitionFiles, loadDefinitionInput } from "../../io/load-definitions.js";

export function parseOverrides(args: string[] = []): ParameterOverride[] {
  return args.map((arg) => {
    const parsed = parseOverrideArgument(arg);
    if (typeof parsed === "string") throw new UsageError(parsed);
    return parsed;
  });
}

/**
 * Compiles each distinct template with OPA, so a Rego error is caught here rather than on the
 * cluster (where a template that does not compile enforces nothing). Adds AZP3007 errors.
 * Outcomes are cached by content (compile-cache.ts): the engine loads only on a miss.
 */
export async function withRegoCheck<T extends BuildResult>(result: T, cache = new CompileCache()): Promise<T> {
  if (!result.ok) return result;
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const model of result.models) {
    const t = model.template;
    if (seen.has(t.rego)) continue;
    seen.add(t.rego);
    let outcome = cache.get(t.rego, t.libs, t.regoVersion);
    if (!outcome) {
      const engine = await loadEngine();
      try {
        (await engine.compile(t.rego, t.libs, t.regoVersion)).release();
        outcome = { ok: true };
      } catch (e) {
        outcome = { ok: false, error: e instanceof Error ? e.message : String(e) };
      }
      cache.set(t.rego, t.libs, t.regoVersion, outcome);
    }
    if (!outcome.ok) diagnostics.push({ code: "AZP3007", severity: "error", message: `template ${t.name} does not compile: ${oneLine(outcome.error)}`, file: model.sourceFile, pointer: "/template/path" });
  }
  if (diagnostics.length === 0) return result;
  return { ...result, ok: false, models: [], artifacts: [], diagnostics: sortDiagnostics([...result.diagnostics, ...diagnostics]) };
}

/** OPA's multi-line errors (with caret diagrams) as one line: its "file:line: message" lines. */
function oneLine(message: string): string {
  const errors = message.split("\n").filter((l) => /^\S+\.rego:\d+: /.test(l));
  return errors.length ? errors.join("; ") : message.replace(/\s+/g, " ").trim();
}

export function loadAndBuild(paths: string[], formats: readonly Format[], overrides: ParameterOverride[]): BuildResult & { files: string[]; templateFiles: string[] } {
  const roots = paths.length ? paths : ["definitions"];
  const files: string[] = [];
  for (const root of roots) {
    const found = findDefinitionFiles(resolve(root));
    if (found.length === 0) throw new UsageError(`no definition sources (definition.yaml, .yml or .json) found in ${JSON.stringify(root)}; run 'azpol new --preset k8s-gcr-deprecation' to create one`);
    files.push(...found);
  }
  const inputs = [...new Set(files)].map((f) => loadDefinitionInput(f));
  return { ...buildDefinitions(inputs, formats, overrides), files, templateFiles: [...new Set(inputs.map((i) => i.template.file))] };
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
