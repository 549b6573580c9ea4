// azpol fix [paths]: flags → the fix action → the patch (--dry-run), the moves, or JSON → exit code.
import type { Command } from "commander";
import { ExitCode } from "../../errors.js";
import type { CommandIo } from "../command-io.js";
import { addDefinitionOptions, parseOverrides } from "../flags.js";
import { registryOption } from "../mirror-flags.js";

interface FixOptions {
  definitions: string;
  param?: string[];
  dryRun?: boolean;
  to?: string;
  json?: boolean;
}

export function registerFix(program: Command, io: CommandIo): void {
  const { output } = io;
  const command = program
    .command("fix")
    .description("move images your definitions deny to the registry they name as replacement (k8s.gcr.io → registry.k8s.io), in manifests and Helm values")
    .argument("[paths...]", "YAML or JSON files, kustomizations or folders (default: .); what is not read is named: policy sources (--definitions, definitions/, initiatives/, assignments/, constraint-templates/), out/, dot folders, node_modules, other files");
  addDefinitionOptions(command, { definitions: "definitions whose denials and replacements apply", param: "assignment value for a policy parameter (repeatable)" })
    .option("--to <registry>", "move denied images to their mirrors in your registry (<registry>/<upstream host>/<path>, as azpol mirror plans them) instead of the definitions' replacements")
    .option("--dry-run", "print a unified diff instead of writing (exit 1 when something would change)")
    .option("--json", "print each change (file, line, old and new image) and what needs a human, as JSON")
    .addHelpText("after", "\nOnly the image scalars' bytes change: comments, key order, quoting and indentation stay. An image\nwith no replacement, or whose replacement is denied too, is listed as needing a human.\nEvery file or folder not read is named (skipped, with why); fix never edits policy sources.\nExit codes: 0 nothing left to fix, 1 images need a human or are in objects the API server would reject, files that cannot be read or were not checked (packaged subcharts) (or, with --dry-run, changes pending), 2 usage error.")
    .action(io.handler(async (paths: string[], options: FixOptions) => {
      // loaded when the command runs, not for --help
      const [{ fix }, { printDiff }, { exclusionHint }, { fixSummary }, { renderNotRead }] = await Promise.all([import("../../actions/fix.js"), import("../render/fix-patch.js"), import("../../manifest-check/object-verdict.js"), import("../render/fix-summary.js"), import("../render/not-read.js")]);
      const outcome = await fix({ paths, definitions: options.definitions, overrides: parseOverrides(options.param), dryRun: options.dryRun === true, ...(options.to !== undefined ? { to: registryOption(options.to) } : {}) }, await io.context());
      const { plan, notWritten, writtenThrough: through, helmTemplatesSkipped: helmTemplates, skipped, notChecked } = outcome;
      const changes = plan.files.flatMap((f) => f.changes);
      const moved = changes.filter((c) => !notWritten.has(c.file));
      if (options.json) output.out(JSON.stringify({ written: !options.dryRun, changes: moved, notWritten: [...notWritten], writtenThrough: through, needsHuman: plan.needsHuman, excluded: plan.excluded, rejected: plan.rejected, ...(plan.strictUnavailable ? { strictUnavailable: plan.strictUnavailable } : {}), problems: plan.problems, notChecked, skipped, files: outcome.files, helmTemplatesSkipped: helmTemplates, imagesChecked: plan.imagesChecked }, null, 2));
      else {
        // stdout is the patch alone, byte for byte (`azpol fix --dry-run > p.diff; git apply p.diff`):
        // everything else goes to stderr
        if (options.dryRun) for (const f of plan.files) printDiff(output, f);
        else for (const c of moved) output.out(`${c.file}:${c.line}: ${c.oldImage} → ${c.newImage}`);
        for (const h of plan.needsHuman) output.err(`${h.file}:${h.line}: needs a human: ${h.image}: ${h.why}`);
        for (const e of plan.excluded) output.err(`${e.file}:${e.line}: excluded (${e.reason}): ${e.image} is not moved`);
        for (const r of plan.rejected) output.err(`${r.file}:${r.line}: rejected by the API server (${r.reason}): ${r.image} is not moved; fix the object first`);
        if (plan.strictUnavailable) output.err(`warning: objects were not checked for what the API server would reject (${plan.strictUnavailable})`);
        for (const t of through) output.err(t);
        for (const p of plan.problems) output.err(`${p.file}:${p.line}: ${notWritten.has(p.file) && p.message.startsWith("not written") ? "" : "cannot read: "}${p.message}`);
        renderNotRead(output, skipped, notChecked);
        if (helmTemplates.length) output.err(`skipped ${helmTemplates.length} Helm template file(s) (Go templates, not YAML): fix moves the images of the chart's values files; to check what the templates make of them, render the chart (helm template . | azpol test -)`);
        // what was not read or not checked: the summary never reads as "all done" without it
        output.err(`${fixSummary(outcome.files, plan, options.dryRun ? changes.length : moved.length, options.dryRun === true, notWritten.size)}${notChecked.length ? `; ${notChecked.length} file(s) not checked` : ""}${skipped.length ? `; ${skipped.length} path(s) skipped (named above)` : ""}`);
        const hint = exclusionHint(plan.excluded.length, plan.excluded.map((e) => e.reason), "image(s)");
        if (hint) output.err(`hint: ${hint}`);
        // an allow list that the public replacement does not satisfy either: the images have to come
        // from the user's own registry
        const unplaced = plan.needsHuman.filter((h) => /no definition declares a replacement|is denied too/.test(h.why)).length;
        if (unplaced && options.to === undefined) output.err(`hint: ${unplaced} image(s) have nowhere allowed to go: mirror them into your registry (azpol mirror --registry <login server>), then azpol fix --to <login server>`);
      }
      const pending = options.dryRun && changes.length > 0;
      return plan.needsHuman.length || plan.rejected.length || pending || plan.problems.length || notChecked.length ? ExitCode.Findings : ExitCode.Ok;
    }));
}
