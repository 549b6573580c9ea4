// azpol impact: what would break if the definitions were assigned with effect Deny now. Reads the
// workloads of a live cluster (kubeconfig and context) or `kubectl get ... -o yaml` on stdin.
import type { Command } from "commander";
import { POD_BEARING_KINDS } from "../../core/pod-bearing-kinds.js";
import { ExitCode, UsageError } from "../../errors.js";
import { summarize, type WorkloadReport } from "../../impact/summarize.js";
import { readManifests } from "../../io/manifests.js";
import { STDIN } from "../../io/read-input.js";
import { loadEngine } from "../../rego/engine.js";
import { namespaceIndex, reviewObjectsWithExclusions, TemplateCache } from "../../rego/evaluate.js";
import { exclusionHint } from "../../check/object-verdict.js";
import type { KubeObject } from "../../rego/kubernetes-object.js";
import type { Output } from "../output.js";
import { addNetworkOptions, networkFromFlags, type NetworkFlags } from "../network-options.js";
import { paint } from "../render/colour.js";
import { collect, parseOverrides } from "../flags.js";
import { definitionPolicies } from "../../pipeline/definition-policies.js";

interface ImpactOptions extends NetworkFlags {
  definitions: string;
  param?: string[];
  kubeconfig?: string;
  context?: string;
  json?: boolean;
}

function workloadLine(w: WorkloadReport): string {
  const kinds = new Map<string, number>();
  for (const o of w.owns) kinds.set(o.split(" ")[0] ?? "", (kinds.get(o.split(" ")[0] ?? "") ?? 0) + 1);
  const under = [...kinds].map(([kind, n]) => `${n} ${kind}${n === 1 ? "" : "(s)"}`).join(", ");
  return `${w.kind} ${w.namespace ? `${w.namespace}/` : ""}${w.name}${under ? ` (with ${under})` : ""}${w.ownedBy ? ` <- ${w.ownedBy}` : ""}: ${w.images.join(", ")}`;
}

export function registerImpact(program: Command, output: Output, setExit: (code: number) => void): void {
  const command = program
    .command("impact")
    .description("what would break if your definitions were set to Deny now: the live cluster's workloads (or kubectl output on stdin) checked against them")
    .argument("[source]", "'-' reads kubectl get ... -o yaml from stdin; default: the cluster of the current kubeconfig context")
    .option("--definitions <path>", "the definitions to check against", "definitions")
    .option("--param <name=value>", "the assignment's parameter values (repeatable), e.g. excludedNamespaces=kube-system,monitoring", collect)
    .option("--kubeconfig <file>", "kubeconfig file (default: KUBECONFIG, then ~/.kube/config)")
    .option("--context <name>", "kubeconfig context (default: the current one)")
    .option("--json", "print the summary as JSON");
  addNetworkOptions(command)
    .addHelpText("after", "\nReads Pods, PodTemplates, ReplicationControllers, Deployments, StatefulSets, DaemonSets, ReplicaSets,\nJobs and CronJobs in all namespaces (list permission needed), and Namespaces. A kind it cannot read\nis reported, never skipped silently. A workload is counted once with the ReplicaSets, Jobs and Pods it\nowns; one the assignment leaves out (excludedNamespaces) is counted as excluded, with the reason.\nExit codes: 0 nothing would be denied, 1 something would be (or a kind could not be read), 2 usage error, 3 the cluster did not answer within --request-timeout or --deadline.")
    .action(async (source: string | undefined, options: ImpactOptions) => {
      const network = networkFromFlags(options);
      // as if assigned with Deny now: the assignment's namespaces and values, enforcement deny
      const policies = definitionPolicies(options.definitions, parseOverrides(options.param)).policies.map((p) => ({ ...p, constraint: { ...p.constraint, enforcementAction: "deny" } }));
      const definitionOf = new Map(policies.map((p) => [p.constraint.name, p.definition]));
      const engine = await loadEngine();
      const problems: string[] = [];
      let objects: KubeObject[] = [];
      let namespaces: KubeObject[];
      let from: string;
      if (source === STDIN) {
        const read = await readManifests(engine, STDIN, "<stdin>");
        for (const p of read.problems) problems.push(`<stdin>:${p.line}: ${p.message}`);
        const all = read.objects.map((o) => o.object);
        namespaces = all.filter((o) => o.kind === "Namespace" && (o.apiVersion ?? "v1") === "v1");
        objects = all.filter((o) => POD_BEARING_KINDS.some((k) => k.kind === o.kind));
        from = "stdin";
      } else if (source !== undefined) {
        throw new UsageError(`impact reads a live cluster, or '-' for stdin; to check files use azpol test ${source}`);
      } else {
        const { kubeClientPort } = await import("../../impact/kube-client-port.js");
        const cluster = kubeClientPort({ kubeconfig: options.kubeconfig, context: options.context, network });
        from = cluster.describe;
        if (!options.json) output.err(`reading workloads from ${from}...`);
        namespaces = await cluster.listNamespaces();
        for (const kind of POD_BEARING_KINDS) {
          const listed = await cluster.list(kind);
          if ("error" in listed) problems.push(`cannot list ${kind.kind}: ${listed.error}`);
          else objects.push(...listed);
        }
      }
      const reviews = await reviewObjectsWithExclusions(new TemplateCache(engine), policies, objects, { namespaces: namespaceIndex(namespaces) });
      const summary = summarize(objects, reviews, (c) => definitionOf.get(c) ?? c);
      const hint = exclusionHint(summary.excluded.length, summary.excluded.map((e) => e.reason), "workload(s)");
      if (options.json) output.out(JSON.stringify({ source: from, ...summary, problems, ...(hint ? { hint } : {}) }, null, 2));
      else {
        output.out(`${summary.objects} workload(s) (${summary.objectsRead} object(s)) from ${from}; ${paint.bold(String(summary.denied.length))} would be denied, ${summary.excluded.length} excluded`);
        if (summary.byNamespace.length) output.out("by namespace:");
        for (const n of summary.byNamespace) output.out(`  ${n.namespace || "(cluster)"}: ${paint.red(String(n.denied))} of ${n.objects} denied${n.excluded ? `, ${n.excluded} excluded` : ""}`);
        if (summary.byImage.length) output.out("by image:");
        for (const i of summary.byImage) output.out(`  ${i.image}: ${i.objects} workload(s) in ${i.namespaces.join(", ")}, denied by ${i.definitions.join(", ")}`);
        if (summary.denied.length) output.out("denied:");
        for (const d of summary.denied) output.out(`  ${workloadLine(d)}`);
        if (summary.excluded.length) output.out("excluded:");
        for (const e of summary.excluded) output.out(`  ${workloadLine(e)}: ${paint.yellow(`excluded (${e.reason})`)}`);
        for (const p of problems) output.err(`warning: ${p}`);
        if (hint) output.err(`hint: ${hint}`);
      }
      setExit(summary.denied.length || problems.length ? ExitCode.Findings : ExitCode.Ok);
    });
}
