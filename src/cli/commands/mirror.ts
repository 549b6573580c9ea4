// azpol mirror --registry <login server> [paths]: flags → the mirror action → the plan (ACR
// artifact-cache rules, or importImage for images pinned by digest or from upstreams the cache does
// not serve) with the az commands that carry it out → exit code. `azpol fix --to <registry>` then
// rewrites manifests and values to the mirrored names. --apply plans against the registry as it is
// (its cache rules, through the ACR management API) and then carries the plan out, like deploy:
// the plan first, then a prompt unless --yes.
import type { Command } from "commander";
import { ExitCode, UsageError } from "../../errors.js";
import type { RegistryOptions } from "../azure/registry-port.js";
import type { CommandIo } from "../command-io.js";
import { addDefinitionOptions, parseOverrides } from "../flags.js";
import { parseCredentialSet, registryOption } from "../mirror-flags.js";

interface MirrorOptions extends RegistryOptions {
  registry: string;
  apply?: boolean;
  yes?: boolean;
  definitions: string;
  param?: string[];
  json?: boolean;
  cluster?: boolean;
  kubeconfig?: string;
  context?: string;
  credentialSet?: string[];
  prune?: boolean;
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
    .option("--request-timeout <seconds>", "seconds to wait for each request (ARM, the registry's content, the cluster) before retrying it", "60")
    .option("--credential-timeout <seconds>", "seconds to wait for a token from the Azure credentials", "30")
    .option("--deadline <seconds>", "overall budget for the run's network calls (a re-run converges)")
    .option("--cluster", "mirror the images the live cluster runs that your definitions deny (what azpol impact finds), instead of files")
    .option("--kubeconfig <file>", "with --cluster: kubeconfig file (default: KUBECONFIG, then ~/.kube/config)")
    .option("--context <name>", "with --cluster: kubeconfig context (default: the current one); implies --cluster")
    .option("--credential-set <upstream=user-id,password-id>", "with --apply: create a credential set for an upstream (e.g. docker.io) from two Key Vault secret ids, unless the registry has one; new cache rules for it pull with it (repeatable)", (v: string, all: string[] = []) => [...all, v])
    .option("--prune", "with --apply: delete the cache rules azpol made (named azpol-<host>) that no image of this run needs; never a rule azpol did not make")
    .option("--json", "print the plan (and with --apply what was done) as JSON; with --apply it needs --yes")
    .addHelpText("after", "\nEach image goes to <registry>/<upstream host>/<path> (k8s.gcr.io images come from registry.k8s.io).\nWithout --apply: run the printed az commands, then `azpol fix --to <registry>`.\nWith --apply: azpol signs in with DefaultAzureCredential ('az login' is enough) and needs permission to write the registry's cache rules and import images, and to read its content (AcrPull) so what is already there is not imported again.\n--prune deletes only what this run does not need: run it over every manifest (or the whole cluster) the registry serves; it deletes nothing when the run could not read every image.\nA new credential set reads its secrets with its own identity: grant it read access to the secrets (azpol prints its principal id).\nExit codes: 0 nothing to mirror (or, with --apply, all applied), 1 a plan with work to do without --apply (or images or files it cannot read or check, a cluster kind it could not list; files not read are named), 2 usage error, 3 Azure error (what was done before it is listed) or, with --cluster, the cluster could not be reached or did not answer, 4 not confirmed.")
    .action(io.handler(async (paths: string[], options: MirrorOptions) => {
      const registry = registryOption(options.registry);
      const json = options.json === true;
      // loaded when the command runs, not for --help: the action, its renderers, the prompt and the network options
      const [{ mirror }, { renderMirrorEvent, renderMirrorOutcome, renderMirrorPlan }, { confirmChanges }, { networkFromFlags }] = await Promise.all([import("../../actions/mirror.js"), import("../render/mirror-run.js"), import("../confirm.js"), import("../network-options.js")]);
      // the SDK loads only when --apply needs it (startup time)
      const port = options.apply ? (await import("../azure/registry-port.js")).registryPort(options, output, json) : undefined;
      const apply = port && {
        port,
        yes: options.yes === true,
        planned: (planned: Parameters<typeof renderMirrorPlan>[1]) => (json ? undefined : renderMirrorPlan(output, planned, registry, true)),
        confirm: (pending: number, name: string) => confirmChanges(pending, `Apply ${pending} change(s) to registry ${name}? [y/N] `, json),
        onEvent: (e: Parameters<typeof renderMirrorEvent>[1]) => (json ? undefined : renderMirrorEvent(output, e)),
      };
      const cluster = options.cluster === true || options.context !== undefined || options.kubeconfig !== undefined ? { kubeconfig: options.kubeconfig, context: options.context } : undefined;
      const credentialSets = (options.credentialSet ?? []).map(parseCredentialSet);
      if ((credentialSets.length || options.prune) && !options.apply) throw new UsageError("--credential-set and --prune need --apply: they are planned against the registry as it is");
      const request = { paths, registry, definitions: options.definitions, overrides: parseOverrides(options.param), ...(cluster ? { cluster } : {}), credentialSets, prune: options.prune === true };
      const outcome = await mirror(request, await io.context({ quiet: json, network: networkFromFlags({ ...(options.requestTimeout !== undefined ? { requestTimeout: options.requestTimeout } : {}), ...(options.deadline !== undefined ? { deadline: options.deadline } : {}) }) }), apply);
      renderMirrorOutcome(output, outcome, registry, json);
      const unreadable = outcome.plan.unreadable.length || outcome.problems.length || outcome.pruneSkipped ? ExitCode.Findings : ExitCode.Ok;
      return outcome.applied === undefined && outcome.azCommands.length ? ExitCode.Findings : unreadable;
    }));
}
