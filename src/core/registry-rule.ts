// What a registry entry in blockedRegistries/allowedRegistries may look like: a registry
// host, an optional :port and an optional path prefix. The templates match hosts exactly,
// so anything that only looks like it narrows or widens the match (schemes, wildcards,
// tags, upper case) is rejected here rather than silently matching nothing.

const LABEL = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;
const IPV6 = /^\[[0-9a-f:.]+\]$/;
const PATH_SEGMENT = /^[a-z0-9]+([._-]+[a-z0-9]+)*$/;

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
    if (!PATH_SEGMENT.test(segment)) return `${JSON.stringify(entry)} has an invalid path segment '${segment}'; use lowercase letters, digits and . _ -`;
  }
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
