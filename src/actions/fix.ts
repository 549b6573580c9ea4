// azpol fix: the images the definitions deny, moved to the registry a definition names as their
// replacement, in manifests and Helm values files (only the image scalars' bytes change).
import { existsSync, statSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import type { ParameterOverride } from "../core/parameter-override.js";
import { engineDenyCheck, engineRejectionCheck, matchExclusionCheck } from "../fix/image-verdicts.js";
import { chartTemplateFiles, readChartTemplates } from "../fix/chart-templates.js";
import { encodeFixText, readFixText } from "../fix/file-text.js";
import { planFixes, type FixInput, type FixPlan } from "../fix/plan-fixes.js";
import { findFiles, type UnreadableFolder } from "../io/find-files.js";
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
  /** files the guarded writer refused (shown paths) */
  notWritten: Set<string>;
  /** "<file>: written through the symbolic link to <target>" */
  writtenThrough: string[];
}

// azpol's own folders hold sources and test objects that deny on purpose
const SKIP = ["definitions", "constraint-templates", "out", "golden", "node_modules", ".terraform"];

/** <chart>/templates/** where <chart>/Chart.yaml exists */
function isHelmTemplate(file: string): boolean {
  const parts = file.split(sep);
  const at = parts.lastIndexOf("templates");
  return at > 0 && existsSync([...parts.slice(0, at), "Chart.yaml"].join(sep));
}

/** The YAML files fix (and mirror) read under `paths`, with the folder each may be written in. */
export function gatherFixInputs(paths: string[], cwd: string): { inputs: FixInput[]; helmTemplates: string[]; unreadable: { file: string; line: number; message: string }[]; rootOf: Map<string, string> } {
  // each file is written only inside the path it was found under (a folder, or a named file's folder)
  const rootOf = new Map<string, string>();
  const unlisted: UnreadableFolder[] = [];
  const found = (paths.length ? paths : ["."]).flatMap((p) => {
    const root = resolve(cwd, p);
    const files = findFiles(root, (n) => /\.ya?ml$/i.test(n), SKIP, unlisted);
    for (const f of files) if (!rootOf.has(f)) rootOf.set(f, existsSync(root) && statSync(root).isDirectory() ? root : dirname(root));
    return files;
  });
  // a Helm chart's templates are Go templates, not YAML: their images come from values.yaml
  const helmTemplates = found.filter(isHelmTemplate);
  const inputs: FixInput[] = [];
  // a folder that cannot be listed is a problem that names it: its files were not checked
  const unreadable: { file: string; line: number; message: string }[] = unlisted.map((u) => ({ file: shownPath(u.path), line: 1, message: `the folder cannot be listed (${u.code}); its files were not checked` }));
  for (const path of found.filter((f) => !isHelmTemplate(f))) {
    const read = readFixText(path);
    if ("error" in read) unreadable.push({ file: shownPath(path), line: 1, message: read.error });
    else inputs.push({ path, shown: shownPath(path), text: read.text, encoding: read.encoding });
  }
  return { inputs, helmTemplates, unreadable, rootOf };
}

export async function fix(request: FixRequest, ctx: ActionContext): Promise<FixOutcome> {
  const { models, policies } = definitionPolicies(request.definitions, request.overrides, ctx.files);
  let replacements = Object.assign({}, ...models.map((m) => m.replacements)) as Record<string, string>;
  const { inputs, helmTemplates, unreadable, rootOf } = gatherFixInputs(request.paths, ctx.files.cwd);
  // chart templates are judged for the images written into them (never written): a denied one needs a human
  const templateFiles = chartTemplateFiles(helmTemplates);
  const templates = readChartTemplates(templateFiles);
  if (request.to !== undefined) replacements = mirrorReplacements(request.to, imageHosts([...inputs, ...templates.inputs]));
  const engine = await ctx.engine();
  const cache = new TemplateCache(engine);
  const plan = await planFixes([...inputs, ...templates.inputs], replacements, engineDenyCheck(cache, policies), matchExclusionCheck(policies), engineRejectionCheck(engine));
  plan.problems.unshift(...unreadable, ...templates.unreadable);
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
  return { plan, files: inputs.length, helmTemplatesSkipped: templateFiles.map((f) => shownPath(f)), notWritten, writtenThrough };
}
