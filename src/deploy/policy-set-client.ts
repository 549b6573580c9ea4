// The policy set definition (initiative) operations of the ArmPort, on the same @azure/arm-policy
// 7.0.1 PolicyClient as policy-client-port.ts. createOrUpdate accepts 200 (update) and 201 (create)
// (../shared/reference/arm-sdk.md, policySetDefinitions). Parameter metadata goes through the same
// additionalProperties conversion as definitions.
import type { PolicyClient, PolicySetDefinition } from "@azure/arm-policy";
import type { ArmPort, ArmResource } from "./arm-port.js";
import type { DefinitionLocation } from "./scope.js";
import { toAzureError } from "./azure-error.js";
import { fromSdkParameters, toSdkParameters } from "./sdk-parameters.js";

const SET_FIELDS = ["displayName", "description", "metadata", "parameters", "policyDefinitions"] as const;

function setResource(r: PolicySetDefinition): ArmResource {
  const source = r as unknown as Record<string, unknown>;
  const properties = Object.fromEntries(SET_FIELDS.filter((f) => source[f] !== undefined).map((f) => [f, source[f]]));
  if ("parameters" in properties) properties.parameters = fromSdkParameters(properties.parameters);
  return { id: r.id ?? "", name: r.name ?? "", properties };
}

/** `clientFor` gives the client of the location's subscription (the SDK puts it into the path). */
export function policySetOperations(clientFor: (location: DefinitionLocation) => PolicyClient, tenantClient?: PolicyClient): Pick<ArmPort, "listSetDefinitions" | "putSetDefinition" | "deleteSetDefinition" | "getSetDefinition"> {
  return {
    async getSetDefinition(location, name) {
      try {
        if (location === undefined) {
          if (!tenantClient) return undefined;
          return setResource(await tenantClient.policySetDefinitions.getBuiltIn(name));
        }
        const r = "subscriptionId" in location ? await clientFor(location).policySetDefinitions.get(name) : await clientFor(location).policySetDefinitions.getAtManagementGroup(location.managementGroupId, name);
        return setResource(r);
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 404) return undefined;
        throw toAzureError(e, `reading policy set ${name}`);
      }
    },
    async listSetDefinitions(location) {
      const filter = { filter: "policyType eq 'Custom'" };
      const pages = "subscriptionId" in location ? clientFor(location).policySetDefinitions.list(filter) : clientFor(location).policySetDefinitions.listByManagementGroup(location.managementGroupId, filter);
      const out: ArmResource[] = [];
      try {
        for await (const d of pages) out.push(setResource(d));
      } catch (e) {
        throw toAzureError(e, "listing custom initiatives");
      }
      return out;
    },
    async putSetDefinition(location, name, properties) {
      const body = { policyType: "Custom", ...properties, parameters: toSdkParameters(properties.parameters) } as PolicySetDefinition;
      try {
        const r = "subscriptionId" in location ? await clientFor(location).policySetDefinitions.createOrUpdate(name, body) : await clientFor(location).policySetDefinitions.createOrUpdateAtManagementGroup(location.managementGroupId, name, body);
        return setResource(r);
      } catch (e) {
        throw toAzureError(e, `writing initiative ${name}`);
      }
    },
    async deleteSetDefinition(location, name) {
      try {
        if ("subscriptionId" in location) await clientFor(location).policySetDefinitions.delete(name);
        else await clientFor(location).policySetDefinitions.deleteAtManagementGroup(location.managementGroupId, name);
      } catch (e) {
        throw toAzureError(e, `deleting initiative ${name}`);
      }
    },
  };
}
