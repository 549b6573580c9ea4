// The fake ACR's credential sets (`.../registries/{name}/credentialSets[/{set}]`): get, list and
// create as a long-running operation, in the shapes of azure-rest-api-specs
// Microsoft.ContainerRegistry/Registry/stable/2025-11-01 CredentialSetCreate.json, CredentialSetGet.json
// and CredentialSetList.json. SPEC.md beside this file, "Credential sets".
import { randomUUID } from "node:crypto";
import { Failure, type Answer } from "./failure.js";

export interface FakeCredentialSet {
  name: string;
  loginServer: string;
  authCredentials?: { name: string; usernameSecretIdentifier: string; passwordSecretIdentifier: string }[];
  principalId?: string;
  provisioningState?: string;
}

const NAME = /^[a-zA-Z0-9-]{5,50}$/;
// a Key Vault secret identifier: https://<vault>.<vault DNS suffix>/secrets/<name>[/<version>]
const SECRET_ID = /^https:\/\/[a-z0-9-]+\.vault\.[a-z0-9.-]+\/secrets\/[A-Za-z0-9-]+(\/[0-9a-f]{32})?$/;

export class FakeCredentialSets {
  /** by lower-case name */
  readonly all = new Map<string, FakeCredentialSet>();

  constructor(
    private readonly registryId: () => string,
    /** starts a long-running operation that runs `done` when it succeeds; answers its id */
    private readonly startOperation: (done: () => void) => string,
  ) {}

  resource(c: FakeCredentialSet): unknown {
    const identity = c.principalId ? { identity: { type: "SystemAssigned", principalId: c.principalId, tenantId: "00000000-0000-0000-0000-0000000000ee" } } : {};
    const authCredentials = (c.authCredentials ?? []).map((a) => ({ ...a, credentialHealth: { status: "Healthy" } }));
    return { id: `${this.registryId()}/credentialSets/${c.name}`, name: c.name, type: "Microsoft.ContainerRegistry/registries/credentialSets", ...identity, properties: { loginServer: c.loginServer, authCredentials, provisioningState: c.provisioningState ?? "Succeeded" } };
  }

  handle(method: string, name: string | undefined, raw: string, url: string): Answer {
    if (name === undefined) {
      if (method !== "GET") throw new Failure(405, "MethodNotAllowed", `${method} is not supported on the credentialSets collection.`);
      return [200, { value: [...this.all.values()].map((c) => this.resource(c)) }];
    }
    const key = name.toLowerCase();
    const existing = this.all.get(key);
    if (method === "GET") {
      if (!existing) throw new Failure(404, "ResourceNotFound", `The credential set '${name}' was not found.`);
      return [200, this.resource(existing)];
    }
    if (method !== "PUT") throw new Failure(405, "MethodNotAllowed", `${method} is not supported by this fake on credential sets.`);
    if (!NAME.test(name)) throw new Failure(400, "InvalidParameter", `The credential set name '${name}' is invalid: use 5-50 letters, digits and '-'.`);
    let body: { properties?: { loginServer?: unknown; authCredentials?: unknown }; identity?: { type?: unknown } };
    try {
      body = JSON.parse(raw) as typeof body;
    } catch {
      throw new Failure(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized.");
    }
    const p = body.properties ?? {};
    if (typeof p.loginServer !== "string" || p.loginServer === "") throw new Failure(400, "InvalidParameter", "properties.loginServer is required.");
    const creds = Array.isArray(p.authCredentials) ? (p.authCredentials as FakeCredentialSet["authCredentials"] & unknown[]) : [];
    if (creds.length !== 1 || !creds.every((c) => SECRET_ID.test(String(c.usernameSecretIdentifier)) && SECRET_ID.test(String(c.passwordSecretIdentifier)))) {
      throw new Failure(400, "InvalidParameter", "properties.authCredentials must hold one credential whose usernameSecretIdentifier and passwordSecretIdentifier are Key Vault secret identifiers.");
    }
    if (body.identity?.type !== "SystemAssigned") throw new Failure(400, "InvalidParameter", "identity.type must be SystemAssigned: the credential set reads its Key Vault secrets with it.");
    const made: FakeCredentialSet = { name, loginServer: p.loginServer, authCredentials: creds, principalId: existing?.principalId ?? randomUUID(), provisioningState: "Creating" };
    this.all.set(key, made);
    const id = this.startOperation(() => this.all.set(key, { ...made, provisioningState: "Succeeded" }));
    return [existing ? 200 : 201, this.resource(made), { "azure-asyncoperation": `${url}${this.registryId()}/credentialSets/${name}/operationStatuses/${id}?api-version=2025-11-01` }];
  }
}
