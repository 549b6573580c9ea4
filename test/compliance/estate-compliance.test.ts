// The pure half of Resource Graph compliance: the query azpol sends and how rows become summaries.
import { describe, expect, it } from "vitest";
import { policyStatesQuery, queryScope, summariesFromStates } from "../../src/compliance/estate-compliance.js";

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
});
