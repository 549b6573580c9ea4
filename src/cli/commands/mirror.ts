// azpol mirror --registry <login server> [paths]: flags → the mirror action → the plan (ACR
// artifact-cache rules, or importImage for images pinned by digest or from upstreams the cache does
// not serve) with the az commands that carry it out → exit code. `azpol fix --to <registry>` then
// rewrites manifests and values to the mirrored names. Applying the plan through ARM is not built
// yet: azpol says so rather than pretending (there is no --apply).
import type { Command } from "commander";
import { mirror } from "../../actions/mirror.js";
import { ExitCode, UsageError } from "../../errors.js";
import { isRegistryValue } from "../../fix/image-reference.js";
import type { CommandIo } from "../command-io.js";
import { collect, parseOverrides } from "../flags.js";

interface MirrorOptions {
  registry: string;
  definitions: string;
  param?: string[];
  json?: boolean;
}

/** A registry login server as --registry/--to take it: a host, lowercase, no scheme or path. */
export function registryOption(value: string): string {
  if (!isRegistryValue(value) || value.includes("/") || value !== value.toLowerCase()) throw new UsageError(`--registry/--to must be your registry's login server, such as myacr.azurecr.io; got ${JSON.stringify(value)}`);
  return value;
}

export function registerMirror(program: Command, io: CommandIo): void {
  const { output } = io;
  program
    .command("mirror")
    .description("plan how to get every image your definitions deny into your Azure Container Registry (artifact-cache rules or imports), with the az commands")
    .argument("[paths...]", "manifests, Helm values, kustomizations or folders (default: .), read as azpol fix reads them")
    .requiredOption("--registry <login server>", "your registry, such as myacr.azurecr.io")
    .option("--definitions <path>", "the definitions whose denials decide what to mirror", "definitions")
    .option("--param <name=value>", "assignment value for a policy parameter (repeatable)", collect)
    .option("--json", "print the plan as JSON")
    .addHelpText("after", "\nEach image goes to <registry>/<upstream host>/<path> (k8s.gcr.io images come from registry.k8s.io).\nThen run the printed az commands and `azpol fix --to <registry>`.\nExit codes: 0 nothing to mirror, 1 a plan with work to do (or images it cannot read), 2 usage error.")
    .action(io.handler(async (paths: string[], options: MirrorOptions) => {
      const registry = registryOption(options.registry);
      const { plan, denied, azCommands: commands } = await mirror({ paths, registry, definitions: options.definitions, overrides: parseOverrides(options.param) }, io.context({ quiet: options.json }));
      if (options.json) output.out(JSON.stringify({ ...plan, azCommands: commands }, null, 2));
      else {
        output.out(`${denied.length} denied image(s) to mirror into ${registry}: ${plan.cacheRules.length} cache rule(s), ${plan.imports.length} import(s)`);
        for (const r of plan.cacheRules) output.out(`  cache rule ${r.name}: ${r.sourceRepository} → ${registry}/${r.targetRepository} (${r.images.length} image(s))`);
        for (const i of plan.imports) output.out(`  import ${i.source} → ${registry}/${i.target}: ${i.why}`);
        for (const u of plan.unreadable) output.err(`cannot read ${JSON.stringify(u)} as an image reference: mirror it by hand`);
        if (commands.length) output.out(`\nrun:\n${commands.map((c) => `  ${c}`).join("\n")}\nthen: azpol fix --to ${registry}`);
      }
      return commands.length || plan.unreadable.length ? ExitCode.Findings : ExitCode.Ok;
    }));
}
