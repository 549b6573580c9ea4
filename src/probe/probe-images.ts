// Two images a definition's template decides differently when a Pod runs them in its
// containers: one it denies and one it allows. Found by trying candidates on the engine, so
// any registry template works (allow lists, block lists, prefixes, whatever its Rego does):
// the allowed candidates are built from the constraint's own parameter values (a registry
// or prefix in an allow list), the denied ones from registries nobody trusts.
import type { Policy } from "../rego/evaluate.js";
import type { TemplateCache } from "../rego/template-cache.js";
import { decide, denied } from "./judge.js";
import { podWith } from "./probe-objects.js";

export interface ProbeImages {
  /** an image the template denies in a Pod's containers */
  denied?: string;
  /** an image it allows there */
  allowed?: string;
  /** some candidates' evaluations were not finished (judge.ts decide), so they count as neither */
  undecided?: boolean;
}

const UNTRUSTED = ["k8s.gcr.io/pause:3.9", "azpol-probe.invalid/probe:1.0", "evil.example/azpol-probe:1.0", "docker.io/library/nginx:1.25", "gcr.io/google-containers/pause:3.2"];
const COMMON = ["registry.k8s.io/pause:3.9", "mcr.microsoft.com/azpol-probe:1.0", "nginx:1.25"];

/** Every string in the parameters, as a place an allowed image could come from. */
function parameterStrings(value: unknown, out: string[] = []): string[] {
  if (typeof value === "string") out.push(value);
  else if (Array.isArray(value)) for (const v of value) parameterStrings(v, out);
  else if (value && typeof value === "object") for (const v of Object.values(value)) parameterStrings(v, out);
  return out;
}

/** Images under a registry or prefix string: "team.azurecr.io" → "team.azurecr.io/azpol-probe:1.0". */
export function imagesUnder(prefix: string): string[] {
  const p = prefix.trim().replace(/\*+$/, "");
  if (!/^[A-Za-z0-9]/.test(p) || /\s/.test(p)) return [];
  if (p.endsWith("/")) return [`${p}azpol-probe:1.0`];
  return [`${p}/azpol-probe:1.0`, ...(p.includes("/") ? [`${p}:1.0`] : [])];
}

export async function findProbeImages(cache: TemplateCache, policy: Policy): Promise<ProbeImages> {
  const fromParameters = [...new Set(parameterStrings(policy.constraint.parameters).flatMap(imagesUnder))];
  // denied: under a parameter first (a block list's own registry), then registries nobody trusts;
  // allowed: under a parameter first (an allow list's registry), then common public images
  const deniedOrder = [...new Set([...fromParameters, ...UNTRUSTED, ...COMMON])];
  const allowedOrder = [...new Set([...fromParameters, ...COMMON, ...UNTRUSTED])];
  const candidates = [...new Set([...deniedOrder, ...allowedOrder])];
  const verdicts = await decide(cache, policy, candidates.map((image, i) => podWith("containers", image, undefined, `candidate-${i}`)));
  const decision = new Map(candidates.map((image, i) => [image, verdicts[i]]));
  const result: ProbeImages = {};
  const d = deniedOrder.find((image) => decision.get(image) === "denied");
  const a = allowedOrder.find((image) => decision.get(image) === "allowed");
  if (d !== undefined) result.denied = d;
  if (a !== undefined) result.allowed = a;
  if (verdicts.includes("undecided")) result.undecided = true;
  return result;
}

/** Does the template deny images from a registry nobody listed (an allow list), or only listed ones (a block list)? */
export async function deniesUnknownRegistries(cache: TemplateCache, policy: Policy): Promise<boolean> {
  const [verdict] = await denied(cache, policy, [podWith("containers", "azpol-probe.invalid/unlisted:1.0")]);
  return verdict === true;
}
