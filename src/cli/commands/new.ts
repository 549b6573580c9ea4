// azpol new: flags → one of the scaffolding actions (src/actions/new: a preset, any
// ConstraintTemplate; an initiative, an assignment) → what was written → exit code.
import type { Command } from "commander";
import { ExitCode, UsageError } from "../../errors.js";
import { PRESET_CATALOGUE } from "../../presets/preset-catalogue.js";
import { renderFromTemplate, renderNewAssignment, renderNewInitiative } from "../render/new-scaffold.js";
import type { CommandIo } from "../command-io.js";
import { collect } from "../flags.js";
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
      .option("--preset <id>", `preset to start from: ${PRESET_CATALOGUE.map((p) => p.id).join(", ")}`)
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
        const { newAssignment } = await import("../../actions/new/new-assignment.js"); // loaded when the command runs, not for --help
        renderNewAssignment(output, newAssignment({ ...options, assignment: options.assignment, dir: command.getOptionValueSource("dir") === "default" ? "assignments" : options.dir }, await io.context({ quiet: options.json })), options.json === true);
        return ExitCode.Ok;
      }
      if (options.assign !== undefined || options.scope !== undefined) throw new UsageError("--assign and --scope go with --assignment");
      if (options.initiative !== undefined) {
        if (options.preset !== undefined || options.fromTemplate !== undefined) throw new UsageError("--initiative groups existing definitions; use it without --preset or --from-template");
        const { newInitiative } = await import("../../actions/new/new-initiative.js"); // loaded when the command runs, not for --help
        renderNewInitiative(output, newInitiative({ ...options, initiative: options.initiative, dir: command.getOptionValueSource("dir") === "default" ? "initiatives" : options.dir }, await io.context({ quiet: options.json })), options.json === true);
        return ExitCode.Ok;
      }
      if (options.members !== undefined) throw new UsageError("--members goes with --initiative");
      if (options.fromTemplate !== undefined) {
        if (options.preset !== undefined) throw new UsageError("use either --preset or --from-template, not both");
        const { newFromTemplate } = await import("../../actions/new/new-from-template.js"); // loaded when the command runs, not for --help
        const made = await newFromTemplate({ ...options, fromTemplate: options.fromTemplate }, await io.context({ quiet: options.json, network: fetchNetworkFromFlags(options) }));
        renderFromTemplate(output, made, options.json === true);
        return ExitCode.Ok;
      }
      if (options.kinds !== undefined) throw new UsageError("--kinds goes with --from-template");
      if (options.list) {
        if (options.json) output.out(JSON.stringify(PRESET_CATALOGUE.map((p) => ({ id: p.id, summary: p.summary, template: p.template })), null, 2));
        else for (const p of PRESET_CATALOGUE) output.out(`${p.id.padEnd(22)} ${p.summary}`);
        return ExitCode.Ok;
      }
      const { preset, registry, name, dir, templates, effect, templateUrl, force } = options;
      const { newFromPreset } = await import("../../actions/new/new-from-preset.js"); // loaded when the command runs, not for --help
      const made = newFromPreset({ preset, registry, name, dir, templates, effect, templateUrl, force }, await io.context({ quiet: options.json }));
      if (options.json) output.out(JSON.stringify(made, null, 2));
      else {
        if (made.templateCopied) output.out(`wrote ${made.templateCopied}`);
        output.out(`wrote ${made.definition}`);
        output.err(`next: azpol validate && azpol build`);
      }
      return ExitCode.Ok;
    }));
}
