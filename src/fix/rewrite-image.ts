// Moving an image to another registry: only the registry part of the reference changes; the path,
// tag and digest stay. The registry is the first path component when it looks like a host (has a
// '.' or ':', or is localhost: github.com/distribution/reference normalize.go splitDockerDomain);
// hosts compare case-insensitively, paths by whole segments, so k8s.gcr.io.evil.com never matches.
export interface Rewrite {
  from: string;
  to: string;
}

function splitHost(reference: string): { host: string; rest: string } {
  const slash = reference.indexOf("/");
  const first = slash < 0 ? "" : reference.slice(0, slash);
  if (slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost")) return { host: first.toLowerCase() === "index.docker.io" ? "docker.io" : first, rest: reference.slice(slash) };
  // no registry: Docker Hub, and a one-component name lives under library/ (normalize.go
  // ParseNormalizedNamed), so a rule for docker.io also moves `prometheus:2.6.1`
  return { host: "docker.io", rest: slash < 0 ? `/library/${reference}` : `/${reference}` };
}

/** The rule (host, or host/path prefix) of `replacements` that covers `reference`, if any. */
export function replacementFor(reference: string, replacements: Record<string, string>): Rewrite | undefined {
  const split = splitHost(reference);
  for (const [from, to] of Object.entries(replacements)) {
    const rule = splitHost(`${from}/x`);
    if (rule.host.toLowerCase() !== split.host.toLowerCase()) continue;
    const prefix = from.indexOf("/") < 0 ? "" : from.slice(from.indexOf("/")); // "" or "/path"
    if (prefix === "" || split.rest === prefix || split.rest.startsWith(`${prefix}/`)) return { from, to };
  }
  return undefined;
}

/** The reference on the new registry: host (and the rule's path prefix) swapped, the rest kept. */
export function rewriteReference(reference: string, rewrite: Rewrite): string {
  const split = splitHost(reference);
  const prefix = rewrite.from.slice(rewrite.from.indexOf("/") < 0 ? rewrite.from.length : rewrite.from.indexOf("/"));
  return `${rewrite.to}${split.rest.slice(prefix.length)}`;
}

/** A scalar's new text in the style it was written in. */
export function renderScalar(value: string, style: string | undefined): string {
  if (style === "QUOTE_SINGLE") return `'${value.replace(/'/g, "''")}'`;
  if (style === "PLAIN" && /^[A-Za-z0-9][A-Za-z0-9._/:@+-]*$/.test(value) && !/^(true|false|null|yes|no|on|off|~|[-+]?\d)/i.test(value)) return value;
  return JSON.stringify(value);
}
