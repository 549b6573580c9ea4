// azpol impact: what would break if the definitions were assigned with effect Deny now. Reads the
// workloads of a live cluster (kubeconfig and context) or `kubectl get ... -o yaml` on stdin.
import type { Command } from "commander";
import { ExitCode } from "../../errors.js";
import type { WorkloadReport } from "../../impact/summarize.js";
import { exclusionHint } from "../../manifest-check/object-verdict.js";
import type { CommandIo } from "../command-io.js";
import { addNetworkOptions, networkFromFlags, type NetworkFlags } from "../network-options.js";
import { paint } from "../render/colour.js";
import { addDefinitionOptions, parseOverrides } from "../flags.js";

interface ImpactOptions extends NetworkFlags {
  definitions: string;
  param?: string[];
  kubeconfig?: string;
  context?: string;
  kustomize?: string;
  json?: boolean;
}

function workloadLine(w: WorkloadReport): string {
  const kinds = new Map<string, number>();
  for (const o of w.owns) kinds.set(o.split(" ")[0] ?? "", (kinds.get(o.split(" ")[0] ?? "") ?? 0) + 1);
  const under = [...kinds].map(([kind, n]) => `${n} ${kind}${n === 1 ? "" : "(s)"}`).join(", ");
  return `${w.kind} ${w.namespace ? `${w.namespace}/` : ""}${w.name}${under ? ` (with ${under})` : ""}${w.ownedBy ? ` <- ${w.ownedBy}` : ""}: ${w.images.join(", ")}`;
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
    .addHelpText("after", "\nReads Pods, PodTemplates, ReplicationControllers, Deployments, StatefulSets, DaemonSets, ReplicaSets,\nJobs and CronJobs in all namespaces (list permission needed), and Namespaces. A kind it cannot read\nis reported, never skipped silently. A workload is counted once with the ReplicaSets, Jobs and Pods it\nowns; one the assignment leaves out (excludedNamespaces) is counted as excluded, with the reason.\nAn object read from stdin or -k that the API server would refuse (strict field validation, its name)\nis listed as rejected, not judged; objects read back from a cluster (with metadata.uid) are not.\nExit codes: 0 nothing would be denied, 1 something would be (or a kind could not be read, or an object would be rejected), 2 usage error, 3 the cluster did not answer within --request-timeout or --deadline.")
    .action(io.handler(async (source: string | undefined, options: ImpactOptions) => {
      const network = networkFromFlags(options);
      const request = { source, definitions: options.definitions, overrides: parseOverrides(options.param), kubeconfig: options.kubeconfig, context: options.context, ...(options.kustomize !== undefined ? { kustomize: options.kustomize } : {}) };
      const { impact } = await import("../../actions/impact.js"); // loaded when the command runs, not for --help
      const { from, summary, problems, rejected, strictUnavailable } = await impact(request, await io.context({ quiet: options.json, network }));
      const hint = exclusionHint(summary.excluded.length, summary.excluded.map((e) => e.reason), "workload(s)");
      if (options.json) output.out(JSON.stringify({ source: from, ...summary, rejected, ...(strictUnavailable ? { strictUnavailable } : {}), problems, ...(hint ? { hint } : {}) }, null, 2));
      else {
        output.out(`${summary.objects} workload(s) (${summary.objectsRead} object(s)) from ${from}; ${paint.bold(String(summary.denied.length))} would be denied, ${summary.excluded.length} excluded${rejected.length ? `, ${rejected.length} rejected by the API server (not judged)` : ""}`);
        if (summary.byNamespace.length) output.out("by namespace:");
        for (const n of summary.byNamespace) output.out(`  ${n.namespace || "(cluster)"}: ${paint.red(String(n.denied))} of ${n.objects} denied${n.excluded ? `, ${n.excluded} excluded` : ""}`);
        if (summary.byImage.length) output.out("by image:");
        for (const i of summary.byImage) output.out(`  ${i.image}: ${i.objects} workload(s) in ${i.namespaces.join(", ")}, denied by ${i.definitions.join(", ")}`);
        if (summary.denied.length) output.out("denied:");
        for (const d of summary.denied) output.out(`  ${workloadLine(d)}`);
        if (summary.excluded.length) output.out("excluded:");
        for (const e of summary.excluded) output.out(`  ${workloadLine(e)}: ${paint.yellow(`excluded (${e.reason})`)}`);
        if (rejected.length) output.out("rejected by the API server (never run, so not judged):");
        for (const r of rejected) output.out(`  ${r.kind} ${r.namespace ? `${r.namespace}/` : ""}${r.name}: ${paint.red(`rejected by the API server (${r.reason})`)}`);
        if (strictUnavailable) output.err(`warning: objects were not checked for what the API server would reject (${strictUnavailable})`);
        for (const p of problems) output.err(`warning: ${p}`);
        if (hint) output.err(`hint: ${hint}`);
      }
      return summary.denied.length || rejected.length || problems.length ? ExitCode.Findings : ExitCode.Ok;
    }));
}
