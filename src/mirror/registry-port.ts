// The one port between `azpol mirror --apply` and the ACR management API (Microsoft.ContainerRegistry,
// the registry as an ARM resource). acr-client-port.ts implements it on @azure/arm-containerregistry;
// the plan (plan-mirror.ts) and its application (apply-mirror.ts) see only this.
import type { CacheRulePlan, CredentialSetPlan, ImportPlan } from "./plan-mirror.js";

/** A registry found by its login server: where its ARM resource lives. */
export interface RegistryRef {
  id: string;
  resourceGroup: string;
  name: string;
  loginServer: string;
}

export interface ExistingCacheRule {
  name: string;
  sourceRepository: string;
  targetRepository: string;
  credentialSetResourceId: string | undefined;
}

export interface ExistingCredentialSet {
  name: string;
  loginServer: string;
}

/** an artifact in the registry: repository and tag, or repository and digest */
export interface ArtifactRef {
  repository: string;
  /** a tag, or a digest (sha256:…) */
  reference: string;
}

export interface ArtifactCheck {
  /** "repo:tag" / "repo@digest" of the artifacts the registry has */
  present: string[];
  /** why the registry's content could not be (fully) read; what was not read counts as absent */
  problem?: string;
}

export const artifactKey = (a: ArtifactRef) => `${a.repository}${a.reference.includes(":") ? "@" : ":"}${a.reference}`;

export interface RegistryPort {
  /** the registry whose login server this is, in the subscription; undefined when there is none */
  findRegistry(loginServer: string): Promise<RegistryRef | undefined>;
  listCacheRules(registry: RegistryRef): Promise<ExistingCacheRule[]>;
  listCredentialSets(registry: RegistryRef): Promise<ExistingCredentialSet[]>;
  /**
   * which of these artifacts the registry already has, read from its data plane (the management
   * API cannot list tags). Never throws: what it could not read is named in `problem`.
   */
  findArtifacts(registry: RegistryRef, artifacts: ArtifactRef[]): Promise<ArtifactCheck>;
  /**
   * creates the credential set (a system-assigned identity reads the Key Vault secrets) and waits
   * for its long-running operation; answers the identity's principal id, which needs read access
   * to the secrets
   */
  createCredentialSet(registry: RegistryRef, set: CredentialSetPlan): Promise<{ principalId?: string }>;
  /** deletes a cache rule and waits for its long-running operation (its cached images stay) */
  deleteCacheRule(registry: RegistryRef, name: string): Promise<void>;
  /** creates the rule and waits for its long-running operation (Azure-AsyncOperation) */
  createCacheRule(registry: RegistryRef, rule: CacheRulePlan): Promise<void>;
  /**
   * copies the image and waits for its long-running operation (Location). Imports are made with
   * mode NoForce, so a tag already in the registry is left alone and answered "present".
   */
  importImage(registry: RegistryRef, entry: ImportPlan): Promise<"imported" | "present">;
}
