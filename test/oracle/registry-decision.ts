// What a registry rule list must decide for an image, derived from the oracle's parse (the
// runtime's own reading) and the decisions written down in constraint-templates/README.md.
// Written independently of the Rego on purpose: the differential compares the two.
import type { OracleImage } from "./oracle.js";

export type Mode = "block" | "allow";
export type Decision = "deny" | "allow";

const HUB_ALIASES = new Set(["docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"]);
const LOCAL_ID_REPOSITORIES = new Set(["library/sha256", "library/sha384", "library/sha512"]);

interface Registry {
  host: string;
  port: string;
  path: string;
}

function splitHostPort(domain: string): { host: string; port: string } {
  if (domain.startsWith("[")) {
    const end = domain.indexOf("]");
    return { host: domain.slice(0, end + 1), port: domain.slice(end + 2) };
  }
  const colon = domain.indexOf(":");
  return colon < 0 ? { host: domain, port: "" } : { host: domain.slice(0, colon), port: domain.slice(colon + 1) };
}

function canonicalHost(host: string): string {
  const h = host.toLowerCase().replace(/\.+$/, "");
  return HUB_ALIASES.has(h) ? "docker.io" : h;
}

function registryOf(domain: string, path: string): Registry {
  const { host, port } = splitHostPort(domain);
  const canonical = canonicalHost(host);
  return { host: canonical, port, path: canonical === "docker.io" && !path.includes("/") ? `library/${path}` : path };
}

/**
 * A rule as the runtime would read the same string as an image: its host and port, and its path
 * normalised by the oracle (`ruleImage`, distribution/reference's parse of the rule itself) when
 * it has one. docker.io/library alone stays the namespace of every official image
 * (constraint-templates/README.md).
 */
export function parseRule(rule: string, ruleImage?: OracleImage): Registry {
  const parts = rule.toLowerCase().split("/");
  const { host, port } = splitHostPort(parts[0] ?? "");
  const literal = parts.slice(1).join("/");
  const canonical = canonicalHost(host);
  if (literal === "" || (canonical === "docker.io" && literal === "library")) return { host: canonical, port, path: literal };
  if (!ruleImage?.valid || ruleImage.path === undefined) throw new Error(`rule ${JSON.stringify(rule)} has a path the runtime does not parse as an image name`);
  // then as an image's registry: Docker Hub's aliases are Docker Hub, one-segment paths under library/
  return { host: canonical, port, path: registryOf(parts[0] ?? "", ruleImage.path).path };
}

// Go's net.ParseIP: IPv4 as four decimal octets without leading zeros (Go ≥ 1.17).
function ipv4Bytes(s: string): number[] | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  const bytes = parts.map((p) => (/^(0|[1-9][0-9]{0,2})$/.test(p) ? Number(p) : NaN));
  return bytes.every((b) => b <= 255) ? bytes : undefined;
}

function ipv6Bytes(s: string): number[] | undefined {
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === "") return [];
    const g = h.split(":");
    return g.every((x) => /^[0-9a-fA-F]{1,4}$/.test(x)) ? g.map((x) => Number.parseInt(x, 16)) : undefined;
  };
  const head = groups(halves[0] ?? "");
  const tail = halves.length === 2 ? groups(halves[1] ?? "") : [];
  if (!head || !tail) return undefined;
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) return undefined;
  return [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail].flatMap((w) => [w >> 8, w & 0xff]);
}

/** An IP literal host as a canonical address (IPv4-mapped IPv6 unmapped), else undefined. */
function address(host: string): string | undefined {
  if (host.startsWith("[") && host.endsWith("]")) {
    const b = ipv6Bytes(host.slice(1, -1));
    if (!b) return undefined;
    const mapped = b.slice(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
    return mapped ? b.slice(12).join(".") : b.join(",");
  }
  return ipv4Bytes(host)?.join(".");
}

function sameHost(a: string, b: string): boolean {
  if (a === b) return true;
  const x = address(a);
  return x !== undefined && x === address(b);
}

function portNumber(port: string): bigint {
  return port === "" ? 443n : BigInt(port);
}

function dialable(port: string): boolean {
  const n = portNumber(port);
  return n >= 1n && n <= 65535n;
}

function pathMatches(path: string, prefix: string): boolean {
  return prefix === "" || path === prefix || path.startsWith(`${prefix}/`);
}

/** `ruleImages` holds the oracle's parse of each rule that has a path (see parseRule). */
export function expectedDecision(parse: OracleImage, mode: Mode, rules: string[], ruleImages: Map<string, OracleImage> = new Map()): Decision {
  // constraint-templates/README.md: longer than any image a node can pull, denied unparsed
  if (parse.image.length > 1024) return "deny";
  if (!parse.valid || parse.domain === undefined || parse.path === undefined) return "deny";
  const image = registryOf(parse.domain, parse.path);
  if (image.host === "docker.io" && LOCAL_ID_REPOSITORIES.has(image.path)) return "deny";
  const matches = rules.some((text) => {
    const rule = parseRule(text, ruleImages.get(text));
    if (!sameHost(image.host, rule.host)) return false;
    if (mode === "block") {
      const portOk = rule.port === "" || !dialable(image.port) || portNumber(image.port) === portNumber(rule.port);
      return portOk && pathMatches(image.path.toLowerCase(), rule.path.toLowerCase());
    }
    return dialable(image.port) && portNumber(image.port) === portNumber(rule.port) && pathMatches(image.path, rule.path);
  });
  return mode === "block" ? (matches ? "deny" : "allow") : matches ? "allow" : "deny";
}
