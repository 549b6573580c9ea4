// Moving an image to another registry: only the registry part of the reference changes; the path,
// tag and digest stay. The registry is the first path component when it looks like a host (has a
// '.' or ':', or is localhost: github.com/distribution/reference normalize.go splitDockerDomain);
// hosts compare case-insensitively, paths by whole segments, so k8s.gcr.io.evil.com never matches.
import { normalizeHub } from "./image-reference.js";
export interface Rewrite {
  from: string;
  to: string;
}

function splitHost(reference: string): { host: string; rest: string } {
  const slash = reference.indexOf("/");
  const first = slash < 0 ? "" : reference.slice(0, slash);
  const named = slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost");
  // Docker Hub (no registry, docker.io or index.docker.io) and its library/ as mirror names it
  // (normalizeHub), so a rule for docker.io moves `prometheus:2.6.1` and `docker.io/nginx` alike
  const { host, path } = normalizeHub(named ? first : undefined, named ? reference.slice(slash + 1) : reference);
  return { host, rest: `/${path}` };
}

/** A rule's path prefix as it compares against a reference's path: "" for a host-only rule. */
function rulePrefix(from: string): string {
  return from.includes("/") ? splitHost(from).rest : "";
}

/** The rule (host, or host/path prefix) of `replacements` that covers `reference`, if any. */
export function replacementFor(reference: string, replacements: Record<string, string>): Rewrite | undefined {
  const split = splitHost(reference);
  for (const [from, to] of Object.entries(replacements)) {
    const rule = splitHost(`${from}/x`);
    if (rule.host.toLowerCase() !== split.host.toLowerCase()) continue;
    const prefix = rulePrefix(from); // "" or "/path"
    // the repository path, without its tag and digest: a rule naming a repository covers its tags
    const repository = split.rest.replace(/@.*$/, "").replace(/:[^/]*$/, "");
    if (prefix === "" || repository === prefix || split.rest.startsWith(`${prefix}/`)) return { from, to };
  }
  return undefined;
}

/** The reference on the new registry: host (and the rule's path prefix) swapped, the rest kept. */
export function rewriteReference(reference: string, rewrite: Rewrite): string {
  const split = splitHost(reference);
  const prefix = rulePrefix(rewrite.from);
  return `${rewrite.to}${split.rest.slice(prefix.length)}`;
}

/** A scalar's new text in the style it was written in. */
export function renderScalar(value: string, style: string | undefined): string {
  if (style === "QUOTE_SINGLE") return `'${value.replace(/'/g, "''")}'`;
  if (style === "PLAIN" && /^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|~|[-+]?\d)/i.test(value)) return value;
  return JSON.stringify(value);
}
