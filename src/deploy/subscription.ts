// Which subscription to use: --subscription, then AZURE_SUBSCRIPTION_ID, then the Azure CLI's
// default subscription (azureProfile.json, written by az with a UTF-8 BOM).
import { existsSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { parseJsonText } from "../io/json-text.js";

interface ProfileSubscription {
  id?: string;
  name?: string;
  isDefault?: boolean;
  state?: string;
}

export interface SubscriptionChoice {
  subscriptionId: string;
  source: "--subscription" | "AZURE_SUBSCRIPTION_ID" | "Azure CLI default";
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function azureProfilePath(env: NodeJS.ProcessEnv): string {
  return join(env.AZURE_CONFIG_DIR ?? join(homedir(), ".azure"), "azureProfile.json");
}

function readProfile(env: NodeJS.ProcessEnv): ProfileSubscription[] {
  const path = azureProfilePath(env);
  if (!existsSync(path)) return [];
  try {
    const text = readFileSync(path, "utf8").replace(/^\uFEFF/, "");
    const parsed = parseJsonText(text);
    if ("error" in parsed) throw new Error(`it ${parsed.error}`);
    const profile = parsed.value as { subscriptions?: ProfileSubscription[] } | null;
    return Array.isArray(profile?.subscriptions) ? profile.subscriptions : [];
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${e instanceof Error ? e.message : String(e)}; run 'az login' again or pass --subscription`);
  }
}

/** Returns undefined when nothing names a subscription (fine for management group scopes). */
export function resolveSubscription(flag: string | undefined, env: NodeJS.ProcessEnv): SubscriptionChoice | undefined {
  if (flag !== undefined) {
    if (GUID.test(flag)) return { subscriptionId: flag, source: "--subscription" };
    // a name: look it up in the CLI profile, as `az account set --subscription <name>` does
    const match = readProfile(env).filter((s) => s.name?.toLowerCase() === flag.toLowerCase());
    if (match.length === 1 && match[0]?.id) return { subscriptionId: match[0].id, source: "--subscription" };
    throw new UsageError(
      match.length > 1
        ? `--subscription ${JSON.stringify(flag)} matches ${match.length} subscriptions in the Azure CLI profile; pass the subscription id`
        : `--subscription ${JSON.stringify(flag)} is not a subscription id, nor a subscription name in ${azureProfilePath(env)}`,
    );
  }
  const fromEnv = env.AZURE_SUBSCRIPTION_ID?.trim();
  if (fromEnv) {
    if (!GUID.test(fromEnv)) throw new UsageError(`AZURE_SUBSCRIPTION_ID ${JSON.stringify(fromEnv)} is not a subscription id (GUID)`);
    return { subscriptionId: fromEnv, source: "AZURE_SUBSCRIPTION_ID" };
  }
  const chosen = readProfile(env).find((s) => s.isDefault === true && typeof s.id === "string");
  return chosen?.id ? { subscriptionId: chosen.id, source: "Azure CLI default" } : undefined;
}
