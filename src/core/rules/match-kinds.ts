// AZP2017: apiGroups and kinds are required with templateInfo and may not be "*"
// (Azure effect-deny docs); a workload kind listed without its API group never matches.
import { joinPointer } from "../diagnostics.js";
import type { Rule } from "./rule-context.js";

const GROUP_OF: Record<string, string> = {
  Pod: "",
  ReplicationController: "",
  Deployment: "apps",
  StatefulSet: "apps",
  DaemonSet: "apps",
  ReplicaSet: "apps",
  Job: "batch",
  CronJob: "batch",
};

export const matchKindsRule: Rule = ({ source, report }) => {
  (source.apiGroups ?? []).forEach((g, i) => {
    if (g === "*") report("AZP2017", joinPointer("apiGroups", i), `apiGroups may not be "*" (Azure rejects it); list the groups, e.g. "", "apps", "batch"`);
  });
  const groups = new Set(source.apiGroups ?? ["", "apps", "batch"]);
  (source.kinds ?? []).forEach((k, i) => {
    if (k === "*") {
      report("AZP2017", joinPointer("kinds", i), `kinds may not be "*" (Azure rejects it); list the kinds`);
      return;
    }
    const group = GROUP_OF[k];
    if (group !== undefined && !groups.has(group)) {
      report("AZP2017", joinPointer("kinds", i), `kind ${k} is in API group ${JSON.stringify(group)}, which apiGroups does not list, so ${k} objects are never checked; add ${JSON.stringify(group)} to apiGroups`);
    }
  });
};
