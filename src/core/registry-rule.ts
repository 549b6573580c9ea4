// What a registry entry in blockedRegistries/allowedRegistries may look like: a registry
// host, an optional :port and an optional path prefix. The templates match hosts exactly,
// so anything that only looks like it narrows or widens the match (schemes, wildcards,
// tags, upper case) is rejected here rather than silently matching nothing. The templates
// accept the same grammar (constraint-templates/_lib/registry-rules.rego, with case folded)
// and deny every workload while a rule they cannot parse is in force (fail closed).

const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const IPV6 = /^\[[0-9a-f:.]+\]$/;
// distribution/reference regexp.go pathComponent: alphanumeric (separator alphanumeric)*, separator
// [._] | __ | [-]+. A segment no image can have ("a..b", "a_-b") would match nothing.
const PATH_SEGMENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

/** Returns why `entry` is not a valid registry rule, or undefined when it is. */
export function registryRuleProblem(entry: unknown): string | undefined {
  if (typeof entry !== "string") return `must be a string, got ${JSON.stringify(entry)}`;
  if (entry === "") return "is empty; remove it or write a registry host such as 'myacr.azurecr.io'";
  if (/\s/.test(entry)) return `${JSON.stringify(entry)} contains whitespace; remove it`;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(entry);
  if (scheme) return `${JSON.stringify(entry)} has a scheme; write the host only, e.g. '${entry.slice(scheme[0].length).split("/")[0] ?? ""}'`;
  if (/[*?]/.test(entry)) return `${JSON.stringify(entry)} has a wildcard; registries match exactly, so list each registry host`;
  if (entry !== entry.toLowerCase()) return `${JSON.stringify(entry)} must be lowercase; use '${entry.toLowerCase()}'`;
  if (entry.includes("@")) return `${JSON.stringify(entry)} has a digest; a registry rule is a host with an optional path prefix`;
  if (entry.endsWith("/")) return `${JSON.stringify(entry)} ends with '/'; use '${entry.replace(/\/+$/, "")}'`;

  const [hostPort = "", ...path] = entry.split("/");
  const hostProblem = hostPortProblem(hostPort, entry);
  if (hostProblem) return hostProblem;
  for (const segment of path) {
    if (segment.includes(":")) return `${JSON.stringify(entry)} has a tag; a registry rule is a host with an optional path prefix`;
    if (!PATH_SEGMENT.test(segment)) return `${JSON.stringify(entry)} has an invalid path segment '${segment}'; use lowercase letters and digits, separated by one '.', one or two '_', or '-'s (as in an image name)`;
  }
  if (path.join("/").length > 255) return `${JSON.stringify(entry)} has a path longer than 255 characters, which no image name can have`;
  return undefined;
}

function hostPortProblem(hostPort: string, entry: string): string | undefined {
  let host = hostPort;
  let port: string | undefined;
  if (hostPort.startsWith("[")) {
    const end = hostPort.indexOf("]");
    host = hostPort.slice(0, end + 1);
    const rest = hostPort.slice(end + 1);
    if (rest !== "") {
      if (!rest.startsWith(":")) return `${JSON.stringify(entry)} has an invalid IPv6 host`;
      port = rest.slice(1);
    }
    if (!IPV6.test(host)) return `${JSON.stringify(entry)} has an invalid IPv6 host`;
  } else {
    const colon = hostPort.indexOf(":");
    if (colon >= 0) {
      host = hostPort.slice(0, colon);
      port = hostPort.slice(colon + 1);
    }
    const isRegistry = host.includes(".") || port !== undefined || host === "localhost";
    if (!isRegistry) {
      return `${JSON.stringify(entry)} does not start with a registry host (one with a '.', a ':port' or 'localhost'); for Docker Hub write 'docker.io' or 'docker.io/library/${host}'`;
    }
    if (!IPV4.test(host) && !host.split(".").every((label) => LABEL.test(label) && label.length <= 63)) {
      return `${JSON.stringify(entry)} has an invalid host '${host}'; use a DNS name such as 'myacr.azurecr.io'`;
    }
  }
  if (port !== undefined) {
    const n = Number(port);
    if (!/^\d+$/.test(port) || n < 1 || n > 65535) return `${JSON.stringify(entry)} has an invalid port '${port}'; use 1-65535`;
  }
  return undefined;
}

const DOCKER_HUB_ALIASES = new Set(["docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"]);

/**
 * The rule as the templates read it, normalised exactly as an image is (distribution/reference
 * normalize.go): host in lower case, Docker Hub's aliases are docker.io, and a one-segment Docker
 * Hub path is an official image under library/ ("docker.io/nginx" is "docker.io/library/nginx"),
 * except "docker.io/library" itself, the namespace of every official image. Undefined when the
 * rule is not valid.
 */
export function normalizeRegistryRule(entry: unknown): string | undefined {
  if (typeof entry !== "string" || registryRuleProblem(entry.toLowerCase()) !== undefined) return undefined;
  const [hostPort = "", ...path] = entry.toLowerCase().split("/");
  const portAt = hostPort.startsWith("[") ? hostPort.indexOf("]:") + 1 : hostPort.indexOf(":");
  const host = portAt > 0 ? hostPort.slice(0, portAt) : hostPort;
  const port = portAt > 0 ? hostPort.slice(portAt) : "";
  const canonical = DOCKER_HUB_ALIASES.has(host) ? "docker.io" : host;
  const official = canonical === "docker.io" && path.length === 1 && path[0] !== "library";
  return [canonical + port, ...(official ? ["library"] : []), ...path].join("/");
}
