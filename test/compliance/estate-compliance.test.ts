// The pure half of Resource Graph compliance: the query azpol sends and how rows become summaries.
import { describe, expect, it } from "vitest";
import { assignmentChunks, MAX_QUERY_CHARS, policyStatesQuery, queryScope, summariesFromStates } from "../../src/compliance/estate-compliance.js";

describe("estate compliance", () => {
  it("quotes assignment ids as KQL strings, lowercased", () => {
    const q = policyStatesQuery(["/X/policyAssignments/it's"]);
    expect(q).toContain("in ('/x/policyassignments/it\\'s')");
    expect(q.split("\n")[0]).toBe("policyresources");
  });

  it("asks a management group by name and a subscription by id", () => {
    expect(queryScope({ kind: "managementGroup", managementGroupId: "platform", id: "/providers/Microsoft.Management/managementGroups/platform" })).toEqual({ managementGroups: ["platform"] });
    expect(queryScope({ kind: "subscription", subscriptionId: "s1", id: "/subscriptions/s1" })).toEqual({ subscriptions: ["s1"] });
  });

  it("counts a resource once, by its worst state (an initiative has one state per member), lowercase like Policy Insights", () => {
    const a = "/providers/microsoft.management/managementgroups/p/providers/microsoft.authorization/policyassignments/a";
    const rows = [
      { id: "1", assignmentId: a, resourceId: "/c1", complianceState: "Compliant" },
      { id: "2", assignmentId: a, resourceId: "/c1", complianceState: "NonCompliant" },
      { id: "3", assignmentId: a, resourceId: "/C2", complianceState: "Compliant" },
      { id: "4", assignmentId: a, resourceId: "/c2", complianceState: "Compliant" },
      { id: "5", assignmentId: a, resourceId: "/c3", complianceState: "Exempt" },
    ];
    const out = summariesFromStates([a.toUpperCase(), "/other"], rows);
    expect(out.get(a)).toEqual({ nonCompliantResources: 1, resources: [{ complianceState: "noncompliant", count: 1 }, { complianceState: "compliant", count: 1 }, { complianceState: "exempt", count: 1 }] });
    expect(out.get("/other")).toEqual({ nonCompliantResources: 0, resources: [] });
  });

  it("splits many assignment ids into queries within MAX_QUERY_CHARS: every id once, in order", () => {
    const ids = Array.from({ length: 500 }, (_, i) => `/providers/Microsoft.Management/managementGroups/platform-${i % 7}/providers/Microsoft.Authorization/policyAssignments/assignment-number-${i}`);
    const chunks = assignmentChunks(ids);
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.flat()).toEqual(ids);
    for (const chunk of chunks) expect(policyStatesQuery(chunk).length).toBeLessThanOrEqual(MAX_QUERY_CHARS);
    // greedy: adding the next chunk's first id would have gone over the limit
    for (let i = 0; i + 1 < chunks.length; i++) expect(policyStatesQuery([...(chunks[i] ?? []), chunks[i + 1]?.[0] ?? ""]).length).toBeGreaterThan(MAX_QUERY_CHARS);
    expect(assignmentChunks([])).toEqual([]);
    expect(assignmentChunks(ids.slice(0, 3))).toEqual([ids.slice(0, 3)]);
  });

  it("gives an id too long to share a query a query of its own", () => {
    const long = `/subscriptions/s/providers/Microsoft.Authorization/policyAssignments/${"x".repeat(300)}`;
    expect(assignmentChunks(["/a", long, "/b"], 200)).toEqual([["/a"], [long], ["/b"]]);
  });
});
