// azpol impact: what would break if the definitions were assigned with effect Deny now. Reads the
// workloads of a live cluster (kubeconfig and context) or `kubectl get ... -o yaml` on stdin.
import type { Command } from "commander";
import { ExitCode } from "../../errors.js";
import type { CommandIo } from "../command-io.js";
import { addNetworkOptions, networkFromFlags, type NetworkFlags } from "../network-options.js";
import { addDefinitionOptions, parseOverrides } from "../flags.js";

interface ImpactOptions extends NetworkFlags {
  definitions: string;
  param?: string[];
  kubeconfig?: string;
  context?: string;
  kustomize?: string;
  json?: boolean;
}

export function registerImpact(program: Command, io: CommandIo): void {
  const { output } = io;
  const command = program
    .command("impact")
    .description("what would break if your definitions were set to Deny now: the live cluster's workloads (or kubectl output on stdin) checked against them")
    .argument("[source]", "'-' reads kubectl get ... -o yaml from stdin; default: the cluster of the current kubeconfig context");
  addDefinitionOptions(command, { definitions: "the definitions to check against", param: "the assignment's parameter values (repeatable), e.g. excludedNamespaces=kube-system,monitoring" })
    .option("--kubeconfig <file>", "kubeconfig file (default: KUBECONFIG, then ~/.kube/config)")
    .option("--context <name>", "kubeconfig context (default: the current one)")
    .option("-k, --kustomize <dir>", "what `kubectl apply -k <dir>` would create, instead of a cluster (native engine)")
    .option("--json", "print the summary as JSON");
  addNetworkOptions(command)
    .addHelpText("after", "\nReads Pods, PodTemplates, ReplicationControllers, Deployments, StatefulSets, DaemonSets, ReplicaSets,\nJobs and CronJobs in all namespaces (list permission needed), and Namespaces. A kind it cannot read\nis reported, never skipped silently. A workload is counted once with the ReplicaSets, Jobs and Pods it\nowns; one the assignment leaves out (excludedNamespaces) is counted as excluded, with the reason.\nEvery object read gets the verdict azpol test gives it: one no definition checks (an Argo Rollout, a\nConfigMap, an extensions/v1beta1 Deployment) is listed as not checked, with the reason.\nAn object read from stdin or -k that the API server would refuse (strict field validation, its name)\nis listed as rejected, not judged; objects read back from a cluster (with metadata.uid) are not.\nWith no kubeconfig, pass --kubeconfig, or pipe objects in: kubectl get pods,deployments,... -A -o yaml | azpol impact -\nExit codes: 0 nothing would be denied, 1 something would be (or would be undecided or rejected, a kind could not be read, or nothing read was checked), 2 usage error (no kubeconfig, an unknown --context), 3 the cluster could not be reached (connection refused, unknown host, TLS failure), refused to list namespaces, or did not answer within --request-timeout or --deadline.")
    .action(io.handler(async (source: string | undefined, options: ImpactOptions) => {
      const network = networkFromFlags(options);
      const request = { source, definitions: options.definitions, overrides: parseOverrides(options.param), kubeconfig: options.kubeconfig, context: options.context, ...(options.kustomize !== undefined ? { kustomize: options.kustomize } : {}) };
      // loaded when the command runs, not for --help (test/help-code-size.test.ts counts its modules)
      const [{ impact }, { exclusionHint }, { renderImpact }] = await Promise.all([import("../../actions/impact.js"), import("../../manifest-check/object-verdict.js"), import("../render/impact-report.js")]);
      const outcome = await impact(request, await io.context({ quiet: options.json, network }));
      const { from, summary, problems, rejected, strictUnavailable } = outcome;
      const hint = exclusionHint(summary.excluded.length, summary.excluded.map((e) => e.reason), "workload(s)");
      if (options.json) output.out(JSON.stringify({ source: from, ...summary, rejected, ...(strictUnavailable ? { strictUnavailable } : {}), problems, ...(hint ? { hint } : {}) }, null, 2));
      else renderImpact(output, outcome, hint);
      return summary.denied.length || summary.undecided.length || rejected.length || problems.length || summary.nothingChecked ? ExitCode.Findings : ExitCode.Ok;
    }));
}
