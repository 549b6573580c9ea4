// azpol publish: flags → the publish action → one line per template (or JSON) → exit code.
import type { Command } from "commander";
import { ExitCode } from "../../errors.js";
import type { CommandIo } from "../command-io.js";
import { addNetworkOptions, networkFromFlags, type NetworkFlags } from "../network-options.js";

interface PublishOptions extends NetworkFlags {
  accountUrl?: string;
  container: string;
  createContainer?: boolean;
  write?: boolean;
  allowOutsideProject?: boolean;
  json?: boolean;
}

export function registerPublish(program: Command, io: CommandIo): void {
  const { output } = io;
  const command = program
    .command("publish")
    .description("upload the definitions' templates to an Azure Storage container under content-addressed names, for source: PublicURL")
    .argument("[paths...]", "definition files or folders (default: definitions)")
    .option("--account-url <url>", "https://<account>.blob.core.windows.net")
    .option("--container <name>", "blob container (anonymous read for blobs, so the add-on can fetch)", "gatekeeper-templates")
    .option("--create-container", "create the container with public access 'blob' if it does not exist")
    .option("--write", "point each definition source at its published template (source: PublicURL, url, sha256)")
    .option("--allow-outside-project", "let definitions point at templates outside the working folder")
    .option("--json", "print the result as JSON");
  addNetworkOptions(command)
    .addHelpText(
      "after",
      "\nEach template goes to <template name>/<sha256>.yaml and is never overwritten; the URL is then fetched\nwithout credentials and must serve exactly those bytes. Credentials: DefaultAzureCredential (az login,\nmanaged identity, ...), or a SAS in AZPOL_STORAGE_SAS, or a connection string in\nAZPOL_STORAGE_CONNECTION_STRING; neither is ever printed.\nExit codes: 0 published, 1 invalid definitions or a URL the add-on cannot read, 2 usage error, 3 Azure error.",
    )
    .action(io.handler(async (paths: string[], options: PublishOptions) => {
      const network = networkFromFlags(options);
      const input = { paths, accountUrl: options.accountUrl, container: options.container, createContainer: options.createContainer === true, write: options.write === true };
      const { publish } = await import("../../actions/publish.js"); // loaded when the command runs, not for --help
      const { rows } = await publish(input, await io.context({ allowOutsideProject: options.allowOutsideProject, network }));
      const unreadable = rows.filter((r) => r.anonymousReadProblem);
      if (options.json) output.out(JSON.stringify({ ok: unreadable.length === 0, published: rows }, null, 2));
      else {
        for (const r of rows) {
          output.out(`${r.definition}: ${r.status === "created" ? "uploaded" : "already there"} ${r.url}`);
          if (!options.write) output.out(`  template:\n    source: PublicURL\n    url: ${r.url}\n    sha256: ${r.sha256}`);
          if (r.anonymousReadProblem) output.err(`error: ${r.definition}: ${r.anonymousReadProblem}`);
        }
        if (options.write) output.err(`pointed ${rows.length} definition source${rows.length === 1 ? "" : "s"} at the published templates; run azpol validate --online`);
      }
      return unreadable.length ? ExitCode.Findings : ExitCode.Ok;
    }));
}
