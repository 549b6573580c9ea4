// azpol mirror --registry <login server> [paths]: flags → the mirror action → the plan (ACR
// artifact-cache rules, or importImage for images pinned by digest or from upstreams the cache does
// not serve) with the az commands that carry it out → exit code. `azpol fix --to <registry>` then
// rewrites manifests and values to the mirrored names. --apply plans against the registry as it is
// (its cache rules, through the ACR management API) and then carries the plan out, like deploy:
// the plan first, then a prompt unless --yes.
import { createInterface } from "node:readline/promises";
import type { Command } from "commander";
import { applyMirrorPlan, mirror } from "../../actions/mirror.js";
import { AbortError, ExitCode, UsageError } from "../../errors.js";
import type { RegistryOptions } from "./mirror-context.js";
import { isRegistryValue } from "../../fix/image-reference.js";
import type { CommandIo } from "../command-io.js";
import { addDefinitionOptions, parseOverrides } from "../flags.js";

interface MirrorOptions extends RegistryOptions {
  registry: string;
  apply?: boolean;
  yes?: boolean;
  definitions: string;
  param?: string[];
  json?: boolean;
}

/** A registry login server as --registry/--to take it: a host, lowercase, no scheme or path. */
export function registryOption(value: string): string {
  if (!isRegistryValue(value) || value.includes("/") || value !== value.toLowerCase()) throw new UsageError(`--registry/--to must be your registry's login server, such as myacr.azurecr.io; got ${JSON.stringify(value)}`);
  return value;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

export function registerMirror(program: Command, io: CommandIo): void {
  const { output } = io;
  const command = program
    .command("mirror")
    .description("plan how to get every image your definitions deny into your Azure Container Registry (artifact-cache rules or imports), then print the az commands or --apply it")
    .argument("[paths...]", "manifests, Helm values, kustomizations or folders (default: .), read as azpol fix reads them")
    .requiredOption("--registry <login server>", "your registry, such as myacr.azurecr.io");
  addDefinitionOptions(command, { definitions: "the definitions whose denials decide what to mirror", param: "assignment value for a policy parameter (repeatable)" })
    .option("--apply", "plan against the registry in Azure (what it already has is not planned again), then create the cache rules and import the images")
    .option("-y, --yes", "with --apply: apply without asking")
    .option("--subscription <id-or-name>", "with --apply: the registry's subscription (default: AZURE_SUBSCRIPTION_ID, then the Azure CLI's default)")
    .option("--max-retries <n>", "retries for throttling (429) and server errors (5xx)", "3")
    .option("--request-timeout <seconds>", "seconds to wait for each ARM request before retrying it", "60")
    .option("--credential-timeout <seconds>", "seconds to wait for a token from the Azure credentials", "30")
    .option("--deadline <seconds>", "overall budget for the run's ARM calls (a re-run converges)")
    .option("--json", "print the plan (and with --apply what was done) as JSON; with --apply it needs --yes")
    .addHelpText("after", "\nEach image goes to <registry>/<upstream host>/<path> (k8s.gcr.io images come from registry.k8s.io).\nWithout --apply: run the printed az commands, then `azpol fix --to <registry>`.\nWith --apply: azpol signs in with DefaultAzureCredential ('az login' is enough) and needs permission to write the registry's cache rules and import images.\nExit codes: 0 nothing to mirror (or, with --apply, all applied), 1 a plan with work to do without --apply (or images it cannot read), 2 usage error, 3 Azure error (what was done before it is listed), 4 not confirmed.")
    .action(io.handler(async (paths: string[], options: MirrorOptions) => {
      const registry = registryOption(options.registry);
      const json = options.json === true;
      // the SDK loads only when --apply needs it (startup time)
      const port = options.apply ? (await import("./mirror-context.js")).registryPort(options, output, json) : undefined;
      const { plan, target, denied, azCommands: commands, contentCheck } = await mirror({ paths, registry, definitions: options.definitions, overrides: parseOverrides(options.param) }, io.context({ quiet: json }), port);
      const pending = plan.cacheRules.length + plan.imports.length;
      const unreadable = plan.unreadable.length ? ExitCode.Findings : ExitCode.Ok;
      if (!json) {
        output.out(`${denied.length} denied image(s) to mirror into ${registry}: ${plan.cacheRules.length} cache rule(s), ${plan.imports.length} import(s)${plan.upToDate.length ? `, ${plan.upToDate.length} already in the registry (served by its cache rules or imported)` : ""}`);
        if (contentCheck?.problem) output.err(`could not read what ${registry} holds (${contentCheck.problem}); the imports not found are planned, and sent NoForce, which never overwrites a tag`);
        for (const r of plan.cacheRules) output.out(`  cache rule ${r.name}: ${r.sourceRepository} → ${registry}/${r.targetRepository} (${r.images.length} image(s))${r.credentialSet ? `, pulling with credential set ${r.credentialSet}` : ""}`);
        for (const i of plan.imports) output.out(`  import ${i.source} → ${registry}/${i.target}: ${i.why}${port ? " (an existing tag is left alone)" : ""}`);
        for (const u of plan.unreadable) output.err(`cannot read ${JSON.stringify(u)} as an image reference: mirror it by hand`);
        if (!port && commands.length) output.out(`\nrun:\n${commands.map((c) => `  ${c}`).join("\n")}\nthen: azpol fix --to ${registry}`);
      }
      if (!port || !target) {
        if (json) output.out(JSON.stringify({ ...plan, azCommands: commands }, null, 2));
        return commands.length ? ExitCode.Findings : unreadable;
      }
      if (pending === 0) {
        if (json) output.out(JSON.stringify({ ...plan, registryId: target.id, contentCheck, applied: [] }, null, 2));
        else output.err(`nothing to change in ${target.name}; next: azpol fix --to ${registry}`);
        return unreadable;
      }
      if (!options.yes) {
        if (json || !process.stdin.isTTY) throw new AbortError(`${pending} change(s) planned but not confirmed; rerun with --yes to apply without a prompt`);
        if (!(await confirm(`Apply ${pending} change(s) to registry ${target.name}? [y/N] `))) throw new AbortError("not applied");
      }
      const applied = await applyMirrorPlan(plan, port, target, (e) => {
        if (json) return;
        if (e.type === "start") output.err(`  ${e.step.kind === "cacheRule" ? "creating cache rule" : "importing"} ${e.step.name}...`);
        else output.out(e.step.result === "present" ? `already present ${e.step.target}` : `${e.step.result} ${e.step.kind === "cacheRule" ? `cache rule ${e.step.name}` : e.step.name} → ${e.step.target}`);
      });
      if (json) output.out(JSON.stringify({ ...plan, registryId: target.id, contentCheck, applied }, null, 2));
      else output.err(`applied ${applied.length} change(s); next: azpol fix --to ${registry}`);
      return unreadable;
    }));
}
