// azpol import <policy.json | portal.json | az show output | a definition or assignment id>: flags →
// the import action (src/actions/import) → what was written → exit code.
import type { Command } from "commander";
import { ExitCode } from "../../errors.js";
import type { CommandIo } from "../command-io.js";
import { addNetworkOptions, fetchNetworkFromFlags, networkFromFlags } from "../network-options.js";

interface ImportOptions {
  name?: string;
  dir: string;
  templates: string;
  template?: string;
  initiatives?: string;
  force?: boolean;
  json?: boolean;
  subscription?: string;
  requestTimeout?: string;
  deadline?: string;
}

export function registerImport(program: Command, io: CommandIo): void {
  const { output } = io;
  addNetworkOptions(
    program
      .command("import")
      .description("turn an existing Kubernetes policy definition (policy.json, portal JSON, az output, VS Code extension output, or a definition id) into an azpol source; a policy set (initiative), as JSON or by id, becomes initiatives/<name>/initiative.yaml over its members (imported before, or, by id, read from Azure with it); an assignment id becomes assignments/<name>.yaml")
      .argument("<definition>", "a JSON file, or an id: /providers/Microsoft.Authorization/policyDefinitions/<name> (built-in), /subscriptions/<id>/providers/..., /providers/Microsoft.Management/managementGroups/<mg>/providers/...; a policy set id (.../policySetDefinitions/<name>, same scopes); or an assignment id (<scope>/providers/Microsoft.Authorization/policyAssignments/<name>), written to assignments/<name>.yaml")
      .option("-n, --name <name>", "definition name (default: the definition's own name)")
      .option("--dir <dir>", "folder that holds definitions (for an assignment id: assignments)", "definitions")
      .option("--templates <dir>", "folder the template is written to", "constraint-templates")
      .option("--initiatives <dir>", "folder an imported policy set (initiative) is written to; its members must be in --dir (by id, those that are not are imported with it)", "initiatives")
      .option("--template <file>", "use this local copy of a PublicURL template instead of downloading it (offline); its sha256 is pinned")
      .option("--force", "overwrite an existing definition source or a different template file")
      .option("--json", "print the result as JSON"),
  )
    .addHelpText("after", "\nReading by id uses DefaultAzureCredential (az login) and AZPOL_ARM_ENDPOINT like deploy; --request-timeout bounds each\nrequest (ARM or the template download), --deadline the whole run (exit 3 when it passes).\nExit codes: 0 imported, 1 not importable, 2 usage error, 3 Azure or network error (reading by id, downloading the template).")
    .action(io.handler(async (what: string, options: ImportOptions, command: Command) => {
      // ARM reads are bounded like deploy's (60 s); a template download by its own default (15 s); one --deadline
      const network = networkFromFlags(options);
      const fetchNetwork = fetchNetworkFromFlags(options);
      const assignmentDir = command.getOptionValueSource("dir") === "default" ? "assignments" : options.dir;
      // the Azure SDK loads only when something is read from Azure by id
      const azure = async () => (await import("../azure/read-by-id.js")).azureReader(output, network, options.json === true);
      const { importSource } = await import("../../actions/import/import.js"); // loaded when the command runs, not for --help
      const imported = await importSource({ ...options, what, assignmentDir }, await io.context({ quiet: options.json, network: fetchNetwork }), azure);
      const { kind: _kind, ...result } = imported;
      if (options.json) output.out(JSON.stringify(result, null, 2));
      else {
        const members = imported.kind === "initiative" ? (imported.importedMembers ?? []) : [];
        for (const m of members) for (const file of [m.template, m.definition]) output.out(`wrote ${file}`);
        for (const file of imported.kind === "definition" ? [imported.template, imported.definition] : [imported.kind === "initiative" ? imported.initiative : imported.assignment]) output.out(`wrote ${file}`);
        for (const n of members.flatMap((m) => m.notes)) output.err(`note: ${n}`);
        for (const n of imported.notes) output.err(`note: ${n}`);
        if (imported.kind === "definition") output.err("next: azpol validate && azpol build, then compare out/<name>/policy.json with the original");
        if (imported.kind === "assignment") output.err("next: azpol validate && azpol deploy --dry-run (the plan shows any difference from Azure)");
      }
      return ExitCode.Ok;
    }));
}
