// azpol fix [paths]: moves images the definitions deny to the registry a definition names as their
// replacement (k8s.gcr.io → registry.k8s.io), in manifests and Helm values files, changing only
// the image scalars' bytes.
import { existsSync, statSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import type { Command } from "commander";
import { ExitCode } from "../../errors.js";
import { exclusionHint } from "../../check/object-verdict.js";
import { engineDenyCheck, matchExclusionCheck } from "../../fix/deny-check.js";
import { diffText, encodeFixText, readFixText } from "../../fix/file-text.js";
import { planFixes, type FileFix, type FixInput } from "../../fix/plan-fixes.js";
import { unifiedDiff } from "../../fix/unified-diff.js";
import { findFiles } from "../../io/find-files.js";
import { shownPath } from "../../io/load-definitions.js";
import { setProjectBoundary } from "../../io/project-boundary.js";
import { writeGuarded, WriteRefused } from "../../io/guarded-writer.js";
import { loadEngine } from "../../rego/engine.js";
import { TemplateCache } from "../../rego/evaluate.js";
import type { Output } from "../output.js";
import { collect, parseOverrides } from "../flags.js";
import { definitionPolicies } from "../../pipeline/definition-policies.js";

interface FixOptions {
  definitions: string;
  param?: string[];
  dryRun?: boolean;
  json?: boolean;
}

// azpol's own folders hold sources and test objects that deny on purpose
const SKIP = ["definitions", "constraint-templates", "out", "golden", "node_modules", ".terraform"];

/** <chart>/templates/** where <chart>/Chart.yaml exists */
function isHelmTemplate(file: string): boolean {
  const parts = file.split(sep);
  const at = parts.lastIndexOf("templates");
  return at > 0 && existsSync([...parts.slice(0, at), "Chart.yaml"].join(sep));
}

function printDiff(output: Output, f: FileFix): void {
  const { encoding } = f.input;
  // git treats UTF-16 as binary: a text patch of it would not apply
  if (encoding === "utf-16le" || encoding === "utf-16be") output.err(`${f.input.shown}: UTF-16 file, its diff is not shown (git treats it as binary); run fix without --dry-run to write it`);
  else output.out(unifiedDiff(f.input.shown.split(sep).join("/"), diffText(f.input.text, encoding), diffText(f.after, encoding)));
}

export function registerFix(program: Command, output: Output, setExit: (code: number) => void): void {
  program
    .command("fix")
    .description("move images your definitions deny to the registry they name as replacement (k8s.gcr.io → registry.k8s.io), in manifests and Helm values")
    .argument("[paths...]", "YAML files or folders (default: .; definitions/, constraint-templates/ and out/ are skipped)")
    .option("--definitions <path>", "definitions whose denials and replacements apply", "definitions")
    .option("--param <name=value>", "assignment value for a policy parameter (repeatable)", collect)
    .option("--dry-run", "print a unified diff instead of writing (exit 1 when something would change)")
    .option("--json", "print each change (file, line, old and new image) and what needs a human, as JSON")
    .addHelpText("after", "\nOnly the image scalars' bytes change: comments, key order, quoting and indentation stay. An image\nwith no replacement, or whose replacement is denied too, is listed as needing a human.\nExit codes: 0 nothing left to fix, 1 images need a human (or, with --dry-run, changes pending), 2 usage error.")
    .action(async (paths: string[], options: FixOptions) => {
      setProjectBoundary(process.cwd());
      const { models, policies } = definitionPolicies(options.definitions, parseOverrides(options.param));
      const replacements = Object.assign({}, ...models.map((m) => m.replacements)) as Record<string, string>;
      // each file is written only inside the path it was found under (a folder, or a named file's folder)
      const rootOf = new Map<string, string>();
      const found = (paths.length ? paths : ["."]).flatMap((p) => {
        const root = resolve(p);
        const files = findFiles(root, (n) => /\.ya?ml$/i.test(n), SKIP);
        for (const f of files) if (!rootOf.has(f)) rootOf.set(f, existsSync(root) && statSync(root).isDirectory() ? root : dirname(root));
        return files;
      });
      // a Helm chart's templates are Go templates, not YAML: their images come from values.yaml
      const helmTemplates = found.filter(isHelmTemplate);
      const inputs: FixInput[] = [];
      const unreadable: { file: string; line: number; message: string }[] = [];
      for (const path of found.filter((f) => !isHelmTemplate(f))) {
        const read = readFixText(path);
        if ("error" in read) unreadable.push({ file: shownPath(path), line: 1, message: read.error });
        else inputs.push({ path, shown: shownPath(path), text: read.text, encoding: read.encoding });
      }
      const cache = new TemplateCache(await loadEngine());
      const plan = await planFixes(inputs, replacements, engineDenyCheck(cache, policies), matchExclusionCheck(policies));
      plan.problems.unshift(...unreadable);
      const changes = plan.files.flatMap((f) => f.changes);
      const notWritten = new Set<string>();
      const through: string[] = [];
      if (!options.dryRun) {
        for (const f of plan.files) {
          try {
            // the writer keeps the file where it is (through a symlink inside the path, or refused);
            // encodeFixText keeps its encoding and byte-order mark
            const wrote = writeGuarded(rootOf.get(f.input.path) ?? dirname(f.input.path), f.input.path, encodeFixText(f.after, f.input.encoding), { label: "the path given to fix" });
            if (wrote.via) through.push(`${f.input.shown}: written through the ${wrote.via === "symlink" ? "symbolic link" : "hard link"} to ${shownPath(wrote.path)}`);
          } catch (e) {
            if (!(e instanceof WriteRefused)) throw e;
            notWritten.add(f.input.shown);
            plan.problems.push({ file: f.input.shown, line: 1, message: `not written: ${e.message}` });
          }
        }
      }
      const moved = changes.filter((c) => !notWritten.has(c.file));
      if (options.json) output.out(JSON.stringify({ written: !options.dryRun, changes: moved, notWritten: [...notWritten], writtenThrough: through, needsHuman: plan.needsHuman, excluded: plan.excluded, problems: plan.problems, files: inputs.length, helmTemplatesSkipped: helmTemplates.map((f) => shownPath(f)), imagesChecked: plan.imagesChecked }, null, 2));
      else {
        // stdout is the patch alone, byte for byte (`azpol fix --dry-run > p.diff && git apply p.diff`):
        // everything else goes to stderr
        if (options.dryRun) for (const f of plan.files) printDiff(output, f);
        else for (const c of moved) output.out(`${c.file}:${c.line}: ${c.oldImage} → ${c.newImage}`);
        for (const h of plan.needsHuman) output.err(`${h.file}:${h.line}: needs a human: ${h.image}: ${h.why}`);
        for (const e of plan.excluded) output.err(`${e.file}:${e.line}: excluded (${e.reason}): ${e.image} is not moved`);
        for (const t of through) output.err(t);
        for (const p of plan.problems) output.err(`${p.file}:${p.line}: ${notWritten.has(p.file) && p.message.startsWith("not written") ? "" : "cannot read: "}${p.message}`);
        if (helmTemplates.length) output.err(`skipped ${helmTemplates.length} Helm template file(s) (Go templates, not YAML): fix moves the images of the chart's values files; to check what the templates make of them, render the chart (helm template . | azpol test -)`);
        output.err(`${inputs.length} file(s), ${plan.imagesChecked} image(s) checked: ${options.dryRun ? changes.length : moved.length} ${options.dryRun ? "to move" : "moved"}${notWritten.size ? `, ${notWritten.size} file(s) not written` : ""}, ${plan.needsHuman.length} need a human${plan.excluded.length ? `, ${plan.excluded.length} excluded` : ""}`);
        const hint = exclusionHint(plan.excluded.length, plan.excluded.map((e) => e.reason), "image(s)");
        if (hint) output.err(`hint: ${hint}`);
      }
      const pending = options.dryRun && changes.length > 0;
      setExit(plan.needsHuman.length || pending || plan.problems.length ? ExitCode.Findings : ExitCode.Ok);
    });
}
