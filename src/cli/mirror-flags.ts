// mirror's flags that need more than commander: --credential-set <upstream>=<username secret id>,<password secret id>.
import { UsageError } from "../errors.js";
import type { CredentialSetRequest } from "../mirror/plan-mirror.js";
import { CACHE_UPSTREAMS } from "../mirror/mirror-path.js";
import { isRegistryValue } from "../fix/image-reference.js";

/** A Key Vault secret identifier: https://<vault>.vault.<cloud suffix>/secrets/<name>[/<version>]. */
const SECRET_ID = /^https:\/\/[a-z0-9-]+\.vault\.[a-z0-9.-]+\/secrets\/[A-Za-z0-9-]+(\/[0-9a-fA-F]{32})?$/;

export function parseCredentialSet(value: string): CredentialSetRequest {
  const eq = value.indexOf("=");
  const loginServer = value.slice(0, Math.max(eq, 0)).toLowerCase();
  const [usernameSecret = "", passwordSecret = "", ...rest] = value.slice(eq + 1).split(",");
  const usage = `--credential-set takes <upstream>=<username secret id>,<password secret id>, such as docker.io=https://myvault.vault.azure.net/secrets/hub-user,https://myvault.vault.azure.net/secrets/hub-token`;
  if (eq <= 0 || rest.length) throw new UsageError(`${usage}; got ${JSON.stringify(value)}`);
  if (!CACHE_UPSTREAMS.includes(loginServer)) throw new UsageError(`--credential-set: ${JSON.stringify(loginServer)} is not an upstream ACR's artifact cache serves (${CACHE_UPSTREAMS.join(", ")})`);
  for (const id of [usernameSecret, passwordSecret]) {
    // the set holds where the secrets are, never the secrets: a value that is not a Key Vault secret id is refused (and not echoed)
    if (!SECRET_ID.test(id)) throw new UsageError(`--credential-set ${loginServer}: each of the two values must be a Key Vault secret identifier (https://<vault>.vault.azure.net/secrets/<name>), not the user name or password itself`);
  }
  return { loginServer, usernameSecret, passwordSecret };
}

/** A registry login server as --registry/--to take it: a host, lowercase, no scheme or path. */
export function registryOption(value: string): string {
  // "user:password@host" is no login server, and what is before '@' may be a password: never echoed
  if (value.includes("@")) throw new UsageError("--registry/--to must be your registry's login server, such as myacr.azurecr.io; what was given holds '@' (a user name or password?), so it is not shown: azpol takes credentials from az login, never from a flag");
  if (!isRegistryValue(value) || value.includes("/") || value !== value.toLowerCase()) throw new UsageError(`--registry/--to must be your registry's login server, such as myacr.azurecr.io; got ${JSON.stringify(value)}`);
  return value;
}
