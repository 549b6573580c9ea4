// `--scope tenant`: the tenant's root management group. Azure has no policy scope above it: the
// "Tenant Root Group" every management group and subscription sits under is the management group
// whose ID is the Microsoft Entra tenant ID (learn.microsoft.com azure/governance/management-groups/
// overview, "Root management group for each directory"), so a tenant-wide status is a status there
// (and its compliance one Resource Graph query over every subscription below it).
import type { Output } from "../output.js";
import { UsageError } from "../../errors.js";
import { armConnection, type ArmFlags } from "./arm-connection.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;


/** The tenant id an Entra ID access token names (its tid claim), read without verifying: ARM checks the token, this only names the root group. */
export function tenantOfToken(token: string | undefined): string | undefined {
  const payload = token?.split(".")[1];
  if (!payload) return undefined;
  try {
    const tid = (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { tid?: unknown }).tid;
    return typeof tid === "string" && GUID.test(tid) ? tid : undefined;
  } catch {
    return undefined;
  }
}

/** `mg:<tenant id>`: from AZURE_TENANT_ID (the variable the Azure credentials read), else the signed-in token's tenant. */
export async function tenantRootScope(flags: ArmFlags, output: Output, quiet: boolean, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const configured = env.AZURE_TENANT_ID?.trim();
  if (configured !== undefined && configured !== "" && !GUID.test(configured)) throw new UsageError(`--scope tenant: AZURE_TENANT_ID must be the tenant's GUID, got ${JSON.stringify(configured)}`);
  let tenant = configured || undefined;
  let source = "AZURE_TENANT_ID";
  if (tenant === undefined) {
    const connection = armConnection(flags, output, quiet, env);
    tenant = tenantOfToken((await connection.credential.getToken(`${connection.endpoint}/.default`))?.token);
    source = "the signed-in account's token";
  }
  if (tenant === undefined) throw new UsageError("--scope tenant: azpol cannot tell which tenant (AZURE_TENANT_ID is not set and the token names none); set AZURE_TENANT_ID, or pass --scope mg:<tenant id>");
  if (!quiet) output.err(`tenant ${tenant} (from ${source}): its root management group`);
  return `mg:${tenant}`;
}
