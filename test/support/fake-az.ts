// A stand-in for the Azure CLI on PATH that prints a token the way `az account get-access-token`
// does, so azpol's DefaultAzureCredential (narrowed to the Azure CLI credential) signs in to the
// fake ARM without Entra ID. The real az runs in test/e2e/az-cli.e2e.test.ts.
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** With `log`, each call's arguments are appended to that file, a line a call (to count sign-ins). */
export function writeFakeAz(bin: string, subscription: string, log?: string): void {
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "az"), `#!/bin/sh\n${log === undefined ? "" : `echo "$@" >> '${log}'\n`}printf '{"accessToken":"t0k","expires_on":%s,"expiresOn":"2099-01-01 00:00:00.000000","subscription":"${subscription}","tenant":"t","tokenType":"Bearer"}' $(( $(date +%s) + 3600 ))\n`);
  chmodSync(join(bin, "az"), 0o755);
}
