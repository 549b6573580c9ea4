import { existsSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import type { Command } from "commander";
import { registryRuleProblem } from "../../core/registry-rule.js";
import { canonicalEffect } from "../../core/rules/effect.js";
import { definitionNameProblem } from "../../model/azure-limits.js";
import { AzpolError, ExitCode, UsageError } from "../../errors.js";
import { writeGuarded } from "../../io/guarded-writer.js";
import { packageRoot } from "../../io/package-root.js";
import { shownPath } from "../../io/load-definitions.js";
import { findPreset, PRESETS } from "../../presets/presets.js";
import { readInputText } from "../../io/read-input.js";
import { templateDigest } from "../../core/template-digest.js";
import type { CommandIo } from "../command-io.js";
import { collect } from "../flags.js";
import { newInitiative } from "./new-initiative.js";
import { newAssignment } from "./new-assignment.js";
import { newFromTemplate } from "./new-from-template.js";
import { addNetworkOptions, fetchNetworkFromFlags, type NetworkFlags } from "../network-options.js";

interface NewOptions extends NetworkFlags {
  preset?: string;
  registry?: string[];
  name?: string;
  dir: string;
  templates: string;
  effect?: string;
  templateUrl?: string;
  force?: boolean;
  list?: boolean;
  json?: boolean;
  fromTemplate?: string;
  kinds?: string;
  initiative?: string;
  members?: string[];
  assignment?: string;
  assign?: string;
  scope?: string[];
  definitions: string;
}

export function registerNew(program: Command, io: CommandIo): void {
  const { output } = io;
  addNetworkOptions(
    program
      .command("new")
      .description("scaffold a definition source from a preset or from any ConstraintTemplate, an initiative of existing definitions, or an assignment")
      .option("--preset <id>", `preset to start from: ${PRESETS.map((p) => p.id).join(", ")}`)
      .option("--from-template <file-or-url>", "a ConstraintTemplate (v1 or v1beta1) file or https URL: every schema property becomes a parameter")
      .option("--kinds <list>", "with --from-template: the kinds to match, e.g. Pod,apps/Deployment (default: the template's samples, else Pods and workloads)")
      .option("-r, --registry <host>", "registry for the preset's list (repeatable or comma-separated)", collect)
      .option("-n, --name <name>", "definition name (Azure resource name; also the folder name)")
      .option("--dir <dir>", "folder that holds definitions (with --initiative: that holds initiatives, default initiatives)", "definitions")
      .option("--templates <dir>", "folder that holds constraint templates (copied there if missing)", "constraint-templates")
      .option("--effect <effect>", "default effect: Audit, Deny or Disabled")
      .option("--template-url <url>", "reference the template at this https URL (PublicURL) instead of embedding it")
      .option("--force", "overwrite an existing definition")
      .option("--list", "list the presets")
      .option("--initiative <name>", "scaffold initiatives/<name>/initiative.yaml grouping existing definitions (with --members)")
      .option("--members <list>", "with --initiative: the definitions to group, e.g. allowed-registries,k8s-gcr-deprecation", collect)
      .option("--definitions <dir>", "with --initiative: folder that holds the member definitions", "definitions")
      .option("--assignment <name>", "scaffold assignments/<name>.yaml assigning a definition or initiative of the project (with --assign and --scope)")
      .option("--assign <name>", "with --assignment: the definition or initiative to assign")
      .option("--scope <scope>", "with --assignment: where to assign (repeatable): mg:<name>, /subscriptions/<id>[/resourceGroups/<rg>]", collect)
      .option("--json", "print the result as JSON"),
  )
    .addHelpText("after", "\nWith --from-template <url>: --request-timeout bounds the download (default 15 s), --deadline the run.\nExamples:\n  azpol new --preset k8s-gcr-deprecation\n  azpol new --preset allowed-registries --registry myacr.azurecr.io\n  azpol new --from-template library/general/requiredlabels/template.yaml --kinds Namespace\n  azpol new --assignment registries-prod --assign allowed-registries --scope mg:platform")
    .action(io.handler(async (options: NewOptions, command: Command) => {
      if (options.assignment !== undefined) {
        if (options.preset !== undefined || options.fromTemplate !== undefined || options.initiative !== undefined) throw new UsageError("--assignment assigns an existing definition or initiative; use it without --preset, --from-template or --initiative");
        return newAssignment({ ...options, assignment: options.assignment, dir: command.getOptionValueSource("dir") === "default" ? "assignments" : options.dir }, output);
      }
      if (options.assign !== undefined || options.scope !== undefined) throw new UsageError("--assign and --scope go with --assignment");
      if (options.initiative !== undefined) {
        if (options.preset !== undefined || options.fromTemplate !== undefined) throw new UsageError("--initiative groups existing definitions; use it without --preset or --from-template");
        return newInitiative({ ...options, initiative: options.initiative, dir: command.getOptionValueSource("dir") === "default" ? "initiatives" : options.dir }, output);
      }
      if (options.members !== undefined) throw new UsageError("--members goes with --initiative");
      if (options.fromTemplate !== undefined) {
        if (options.preset !== undefined) throw new UsageError("use either --preset or --from-template, not both");
        return newFromTemplate({ ...options, fromTemplate: options.fromTemplate, network: fetchNetworkFromFlags(options) }, output);
      }
      if (options.kinds !== undefined) throw new UsageError("--kinds goes with --from-template");
      if (options.list) {
        if (options.json) output.out(JSON.stringify(PRESETS.map((p) => ({ id: p.id, summary: p.summary, template: p.template })), null, 2));
        else for (const p of PRESETS) output.out(`${p.id.padEnd(22)} ${p.summary}`);
        return ExitCode.Ok;
      }
      if (!options.preset) throw new UsageError(`choose a preset with --preset (${PRESETS.map((p) => p.id).join(", ")})`);
      const preset = findPreset(options.preset);
      if (!preset) throw new UsageError(`unknown preset ${JSON.stringify(options.preset)}; use one of: ${PRESETS.map((p) => p.id).join(", ")}`);
      const registries = (options.registry ?? []).flatMap((r) => r.split(",")).map((r) => r.trim()).filter((r) => r !== "");
      if (preset.needsRegistries && registries.length === 0) throw new UsageError(`preset ${preset.id} needs at least one --registry, e.g. --registry myacr.azurecr.io`);
      // The k8s.gcr.io preset's list and its message ("k8s.gcr.io is frozen ...") go together:
      // swapping the list would keep a message that is no longer true.
      if (!preset.needsRegistries && registries.length) throw new UsageError(`preset ${preset.id} blocks the frozen k8s.gcr.io and takes no --registry; to allow only your registries use --preset allowed-registries --registry <host>, or edit blockedRegistries and message in the scaffolded file`);
      for (const r of registries) {
        const problem = registryRuleProblem(r);
        if (problem) throw new UsageError(`--registry ${problem}`);
      }
      if (options.templateUrl !== undefined) {
        let url: URL | undefined;
        try {
          url = new URL(options.templateUrl);
        } catch {
          url = undefined;
        }
        if (url?.protocol !== "https:") throw new UsageError(`--template-url ${JSON.stringify(options.templateUrl)} must be an https:// URL (Azure fetches PublicURL templates over https)`);
        if (url.username !== "" || url.password !== "") throw new UsageError("--template-url carries a user name or password; the add-on fetches templates anonymously, and azpol neither sends nor prints credentials: remove 'user:password@'");
      }
      if (options.effect !== undefined && !canonicalEffect(options.effect)) throw new UsageError(`--effect ${JSON.stringify(options.effect)} is not Audit, Deny or Disabled`);
      const name = options.name ?? preset.id;
      const nameProblem = definitionNameProblem(name);
      if (nameProblem) throw new UsageError(`--name: ${nameProblem}`);

      const definitionDir = resolve(options.dir, name);
      // Check every folder before writing anything, so a bad --dir or --templates never leaves
      // half a scaffold behind.
      assertFolderPath(definitionDir, "--dir");
      assertFolderPath(join(resolve(options.templates), preset.template), "--templates");
      const file = join(definitionDir, "definition.yaml");
      if (existsSync(file) && !options.force) throw new UsageError(`${shownPath(file)} already exists; pass --force to overwrite it or --name to pick another name`);
      const templatesDir = resolve(options.templates);
      const templateDir = join(templatesDir, preset.template);
      const copied = !existsSync(join(templateDir, "template.yaml"));
      const text = preset.render({
        name: options.name,
        templatesPath: relative(definitionDir, templatesDir).split("\\").join("/"),
        registries: registries.length ? registries : undefined,
        effect: options.effect === undefined ? undefined : canonicalEffect(options.effect),
        templateUrl: options.templateUrl,
        // what the URL must serve: the template this scaffold uses (the copy, or the one already there)
        templateSha256: options.templateUrl === undefined ? undefined : templateDigestOf(copied ? join(packageRoot(), "constraint-templates", preset.template, "template.yaml") : join(templateDir, "template.yaml")),
      });
      if (copied) {
        const shipped = readInputText(join(packageRoot(), "constraint-templates", preset.template, "template.yaml"));
        if ("error" in shipped) throw new AzpolError("PackageDamaged", `azpol's own ${preset.template} template ${shipped.error}; reinstall azpol`, ExitCode.Internal);
        writeGuarded(templatesDir, join(templateDir, "template.yaml"), shipped.text, { label: "--templates" });
      }
      writeGuarded(resolve(options.dir), file, text, { label: "--dir" });
      if (options.json) output.out(JSON.stringify({ preset: preset.id, definition: shownPath(file), templateCopied: copied ? shownPath(join(templateDir, "template.yaml")) : null }, null, 2));
      else {
        if (copied) output.out(`wrote ${shownPath(join(templateDir, "template.yaml"))}`);
        output.out(`wrote ${shownPath(file)}`);
        output.err(`next: azpol validate && azpol build`);
      }
      return ExitCode.Ok;
    }));
}

function templateDigestOf(file: string): string | undefined {
  const read = readInputText(file);
  return "error" in read ? undefined : templateDigest(read.text);
}

/** A folder azpol may create: every part of the path that exists is a folder, not a file. */
function assertFolderPath(dir: string, flag: string): void {
  for (let p = dir; ; p = dirname(p)) {
    if (existsSync(p)) {
      if (!statSync(p).isDirectory()) throw new UsageError(`${flag}: ${JSON.stringify(shownPath(p))} is a file, not a folder; name a folder`);
      return;
    }
    if (dirname(p) === p) return;
  }
}
