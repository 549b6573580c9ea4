// azpol fix: the images the definitions deny, moved to the registry a definition names as their
// replacement, in manifests and Helm values files (only the image scalars' bytes change).
import { dirname } from "node:path";
import type { ParameterOverride } from "../core/parameter-override.js";
import { engineDenyCheck, engineRejectionCheck, matchExclusionCheck } from "../fix/image-verdicts.js";
import { chartTemplateFiles, readChartTemplates } from "../fix/chart-templates.js";
import { encodeFixText } from "../fix/file-text.js";
import { planFixes, type FixPlan } from "../fix/plan-fixes.js";
import { gatherFixInputs } from "../fix/fix-inputs.js";
import type { NotRead } from "../fix/fix-walk.js";
import { WriteRefused } from "../io/guarded-writer.js";
import { shownPath } from "../io/shown-path.js";
import { definitionPolicies } from "../pipeline/definition-policies.js";
import { TemplateCache } from "../rego/template-cache.js";
import { imageHosts } from "../mirror/image-hosts.js";
import { mirrorReplacements } from "../mirror/mirror-path.js";
import type { ActionContext } from "./context.js";

export interface FixRequest {
  /** YAML files or folders; [] = the working folder */
  paths: string[];
  definitions: string;
  overrides: ParameterOverride[];
  /** plan only: write nothing */
  dryRun: boolean;
  /** move denied images to their mirrors in this registry (login server) instead of the definitions' replacements */
  to?: string;
}

export interface FixOutcome {
  plan: FixPlan;
  /** files read (Helm templates and unreadable files are not among them) */
  files: number;
  helmTemplatesSkipped: string[];
  /** files and folders not read, each with why (shown paths): never passed over in silence */
  skipped: NotRead[];
  /** files that may hold denied images fix could not check (packaged subcharts): not a success */
  notChecked: NotRead[];
  /** files the guarded writer refused (shown paths) */
  notWritten: Set<string>;
  /** "<file>: written through the symbolic link to <target>" */
  writtenThrough: string[];
}

export async function fix(request: FixRequest, ctx: ActionContext): Promise<FixOutcome> {
  const { models, policies } = definitionPolicies(request.definitions, request.overrides, ctx.files);
  let replacements = Object.assign({}, ...models.map((m) => m.replacements)) as Record<string, string>;
  const { inputs, helmTemplates, unreadable, rootOf, skipped, notChecked, json } = gatherFixInputs(request.paths, ctx.files.cwd, request.definitions);
  // chart templates are judged for the images written into them (never written): a denied one needs a human
  const templateFiles = chartTemplateFiles(helmTemplates);
  const templates = readChartTemplates(templateFiles);
  if (request.to !== undefined) replacements = mirrorReplacements(request.to, imageHosts([...inputs, ...templates.inputs]));
  const engine = await ctx.engine();
  const cache = new TemplateCache(engine);
  const plan = await planFixes([...inputs, ...templates.inputs], replacements, engineDenyCheck(cache, policies), matchExclusionCheck(policies), engineRejectionCheck(engine));
  plan.problems.unshift(...unreadable, ...templates.unreadable);
  keepJson(plan, json);
  const notWritten = new Set<string>();
  const writtenThrough: string[] = [];
  if (!request.dryRun) {
    for (const f of plan.files) {
      try {
        // the writer keeps the file where it is (through a symlink inside the path, or refused);
        // encodeFixText keeps its encoding and byte-order mark
        const wrote = ctx.write(rootOf.get(f.input.path) ?? dirname(f.input.path), f.input.path, encodeFixText(f.after, f.input.encoding), { label: "the path given to fix" });
        if (wrote.via === "symlink") writtenThrough.push(`${f.input.shown}: written through the symbolic link to ${shownPath(wrote.path)}`);
        // a file with other names is replaced, never written through (src/io/guarded-writer.ts)
        if (wrote.hardLinks > 0) writtenThrough.push(`${f.input.shown}: had ${wrote.hardLinks} other name${wrote.hardLinks === 1 ? "" : "s"} (hard link${wrote.hardLinks === 1 ? "" : "s"}); azpol wrote a new file in its place, so ${wrote.hardLinks === 1 ? "that name keeps" : "those names keep"} the old content`);
      } catch (e) {
        if (!(e instanceof WriteRefused)) throw e;
        notWritten.add(f.input.shown);
        plan.problems.push({ file: f.input.shown, line: 1, message: `not written: ${e.message}` });
      }
    }
  }
  const shown = (n: NotRead) => ({ path: shownPath(n.path), reason: n.reason });
  return { plan, files: inputs.length, helmTemplatesSkipped: templateFiles.map((f) => shownPath(f)), skipped: skipped.map(shown), notChecked: notChecked.map(shown), notWritten, writtenThrough };
}

/**
 * A JSON manifest's rewrite changes only image strings (double-quoted, escaped as JSON), so it
 * stays JSON; this checks it does before anything is written or diffed: a file that would not
 * parse is not fixed, and is a problem that names it.
 */
function keepJson(plan: FixPlan, json: Set<string>): void {
  plan.files = plan.files.filter((f) => {
    if (!json.has(f.input.path)) return true;
    try {
      JSON.parse(f.after);
      return true;
    } catch (e) {
      plan.problems.push({ file: f.input.shown, line: 1, message: `not fixed: JSON: the rewritten file would not be valid JSON (${e instanceof Error ? e.message : String(e)}); move its images by hand` });
      return false;
    }
  });
}
