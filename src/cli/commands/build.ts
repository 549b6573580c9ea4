import { Option, type Command } from "commander";
import { FORMATS, type Format } from "../../emit/formats.js";
import { ExitCode } from "../../errors.js";
import { shownPath } from "../../io/shown-path.js";
import type { CommandIo } from "../command-io.js";
import { diagnosticJson, formatDiagnostic, formatSummary } from "../render/diagnostics.js";
import { addAllowOutsideProjectOption, addParamOption, parseOverrides } from "../flags.js";

interface BuildOptions {
  allowOutsideProject?: boolean;
  out: string;
  force?: boolean;
  format: Format | "all";
  param?: string[];
  json?: boolean;
}

export function registerBuild(program: Command, io: CommandIo): void {
  const { output } = io;
  const command = program
    .command("build")
    .description("turn definition sources into Azure Policy JSON (ARM, portal), az/PowerShell scripts, ARM templates, Bicep and Terraform")
    .argument("[paths...]", "definition or initiative files, or folders (default: definitions, and initiatives if present)")
    .option("-o, --out <dir>", "output folder; each definition gets <dir>/<name>/", "out")
    .addOption(new Option("-f, --format <format>", "what to emit").choices([...FORMATS, "all"]).default("all"));
  addParamOption(command, "override a parameter default (repeatable), e.g. blockedRegistries=k8s.gcr.io,gcr.io/old").option("--force", "replace generated files in --out that were edited by hand (or not written by azpol)");
  addAllowOutsideProjectOption(command)
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      "\nFiles per definition: policy.json (ARM resource body; arm), portal.json (paste into the portal editor;\nportal), rules.json + params.json + create.sh + create.ps1 (az policy definition create, New-AzPolicyDefinition;\naz), template.{subscription,managementgroup}.json (az deployment sub|mg create; arm-template),\nmain.{subscription,managementgroup}.bicep (bicep), main.tf (a module: azurerm_policy_definition + example assignments;\nterraform) with template.yaml (its template, read by filebase64) and example/main.tf (a root module with the\nprovider block). An initiative (initiative.yaml) gets policyset.json (arm), portal.md (the portal form's steps),\ndefinitions.json + params.json + create.sh/ps1 (az policy set-definition create), ARM templates and Bicep\nthat deploy its members with it, and main.tf (azurerm_policy_set_definition using the members' modules) + example/main.tf.\nNothing is written unless every definition is valid. azpol only replaces or removes files it wrote\n(listed in <out>/.azpol-manifest.json); your terraform.tfstate, .terraform/ and tfvars stay.\nExit codes: 0 built, 1 errors found, 2 usage error.",
    )
    .action(io.handler(async (paths: string[], options: BuildOptions) => {
      const formats: Format[] = options.format === "all" ? [...FORMATS] : [options.format];
      const input = { paths, formats, overrides: parseOverrides(options.param), out: options.out, force: options.force === true };
      const { build } = await import("../../actions/build.js"); // loaded when the command runs, not for --help
      const outcome = await build(input, await io.context({ allowOutsideProject: options.allowOutsideProject }));
      const { build: result, written } = outcome;
      if (options.json) {
        output.out(
          JSON.stringify(
            {
              ok: result.ok,
              definitions: [...result.models, ...result.mutations].map((m) => m.name),
              initiatives: result.initiatives.map((m) => m.name),
              written: written.map((w) => shownPath(w)),
              removed: outcome.removed.map((w) => shownPath(w)),
              keptEdited: outcome.keptEdited.map((w) => shownPath(w)),
              hardLinksBroken: outcome.hardLinksBroken.map((w) => shownPath(w)),
              diagnostics: result.diagnostics.map(diagnosticJson),
            },
            null,
            2,
          ),
        );
      } else {
        for (const d of result.diagnostics) output.err(formatDiagnostic(d));
        if (result.ok) {
          for (const w of written) output.out(`wrote ${shownPath(w)}`);
          for (const w of outcome.removed) output.out(`removed ${shownPath(w)} (its definition is gone)`);
          for (const w of outcome.keptEdited) output.err(`warning: kept ${shownPath(w)}: its definition is gone, but the file was edited since azpol wrote it`);
          for (const w of outcome.hardLinksBroken) output.err(`note: ${shownPath(w)} had other names (hard links); azpol wrote a new file in its place, so those names keep the old content`);
          const initiatives = result.initiatives.length ? ` and ${result.initiatives.length} initiative${result.initiatives.length === 1 ? "" : "s"}` : "";
          const count = result.models.length + result.mutations.length;
          output.err(`built ${count} definition${count === 1 ? "" : "s"}${initiatives} into ${options.out}`);
        } else {
          output.err(`${formatSummary(result.diagnostics, result.files.length)}; nothing was written`);
        }
      }
      return result.ok ? ExitCode.Ok : ExitCode.Findings;
    }));
}
