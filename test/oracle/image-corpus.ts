// Generates adversarial image strings: host suffix and prefix tricks, look-alike hosts, ports
// (leading zeros, out of range, empty), case, trailing dots, IPv4 and IPv6 literals (mapped,
// compressed, upper case), localhost, Docker Hub short and long forms and its aliases, tags,
// digests of every algorithm and length, local image IDs and their prefixes, whitespace and
// control characters, and random mutations of all of these. Each string carries the part
// list it was built from, so a failure says what it was trying.
import type { Random } from "./random.js";

// distribution/reference bounds the path (255), not the domain: long zero-padded ports and long
// hosts must not count toward it.
const LONG_PORT = `:${"0".repeat(300)}443`;
const LONG_HOST = `${"h".repeat(63)}.${"o".repeat(63)}.${"s".repeat(63)}.${"t".repeat(63)}.example.com`;
const HOSTS = [
  "", "k8s.gcr.io", "K8S.GCR.IO", "k8s.gcr.io.", "k8s.gcr.io.evil.com", "evilk8s.gcr.io", "k8s-gcr.io", "gcr.io", "k8s.gcr",
  "myacr.azurecr.io", "MyAcr.AzureCr.IO", "myacr.azurecr.io.evil.com", "myacr-azurecr.io", "evilmyacr.azurecr.io", "azurecr.io",
  "registry.example.com", "registry.example.com.", "registry.example.co", "localhost", "LOCALHOST", "Localhost", "localhost.localdomain",
  "127.0.0.1", "10.1.2.3", "010.1.2.3", "10.1.2.03", "10.1.2.3.4", "256.1.2.3", "[::1]", "[0:0:0:0:0:0:0:1]", "[0::1]", "[::ffff:a01:203]",
  "[::FFFF:A01:203]", "[0:0:0:0:0:ffff:a01:203]", "[::ffff:7f00:1]", "[::]", "[:::1]", "[::1", "::1", "[fe80::1]", "[::1]]",
  "docker.io", "DOCKER.IO", "index.docker.io", "Index.Docker.Io", "registry-1.docker.io", "registry.hub.docker.com", "docker.io.",
  LONG_HOST, `k8s.gcr.io${LONG_PORT}`,
  "k8s\u2024gcr.io", "k8s.gcr.\u0456o", "k8s.gcr.io\u200b", "xn--k8s-gcr-io", "a", "A", "-k8s.gcr.io", "k8s.gcr.io-", "k8s..gcr.io",
];
const PORTS = ["", "", "", ":443", ":0443", ":00443", ":5000", ":05000", ":0", ":65535", ":65536", ":99999", ":4294967739", ":", ":abc", ":-1", ":+443", ": 443", LONG_PORT, `:${"0".repeat(250)}5000`];
const PATHS = [
  "pause", "team/app", "team", "team-evil/app", "teamevil/app", "library/nginx", "nginx", "busybox", "library/busybox", "library/busybox-evil",
  "sha256", "library/sha256", "sha512", "sha384", "md5", "App", "team/App", "a..b", "a__b", "a___b", "a---b", "a_b", "a.b", "-a", "a-", "",
  "/", "team//app", "deep/nested/path/app", "dev/app", "dev", "platform/base", "platform-evil/base", "library", "x",
  `team/${"p".repeat(250)}`, `team/${"p".repeat(249)}`, `team/${"p".repeat(251)}`, `${"p".repeat(247)}`, `${"p".repeat(256)}`,
];
const TAGS = ["", "", ":latest", ":3.9", ":v1.2.3", ":UPPER", ":_x", ":.x", ":-x", ":a b", ":", `:${"a".repeat(128)}`, `:${"a".repeat(129)}`];
const HEXES = [6, 12, 32, 63, 64, 65, 96, 128];

function digest(r: Random): string {
  const alg = r.pick(["sha256", "sha256", "sha384", "sha512", "md5", "SHA256", "sha256+b64", "sha1"]);
  const len = alg === "sha384" ? r.pick([96, 95, 64]) : alg === "sha512" ? r.pick([128, 127, 64]) : r.pick([64, 64, 63, 65, 32, 12]);
  const hex = r.chance(0.1) ? r.hex(len).toUpperCase() : r.hex(len);
  return `@${alg}:${hex}`;
}

/** Strings the runtime may resolve as a local image ID (containerd localResolve). */
function localId(r: Random): string {
  const alg = r.pick(["sha256", "sha256", "sha384", "sha512", "SHA256", "sha1", "md5"]);
  const hex = r.hex(r.pick(HEXES));
  const prefix = r.pick(["", "", "library/", "docker.io/library/", "index.docker.io/", "registry-1.docker.io/", "k8s.gcr.io/", "myacr.azurecr.io/"]);
  return r.pick([`${prefix}${alg}:${hex}`, hex, `${hex}:latest`, `${alg}:${hex}${r.chance(0.3) ? digest(r) : ""}`]);
}

// Valid-looking parts, picked half of the time so that most strings parse and the corpus
// probes matching, not only parsing.
const CLEAN_HOSTS = ["", "k8s.gcr.io", "K8S.GCR.IO", "k8s.gcr.io.evil.com", "evilk8s.gcr.io", "myacr.azurecr.io", "MyAcr.AzureCr.IO", "myacr.azurecr.io.evil.com", "registry.example.com", "localhost", "10.1.2.3", "[::1]", "[0::1]", "[::ffff:a01:203]", "docker.io", "index.docker.io", "registry-1.docker.io"];
const CLEAN_PORTS = ["", "", ":443", ":0443", ":5000", ":05000", ":65536", ":0", LONG_PORT];
const CLEAN_PATHS = ["pause", "team/app", "team", "team-evil/app", "library/nginx", "nginx", "busybox", "library/busybox", "sha256", "library/sha256", "dev/app", "platform/base", "platform-evil/base"];

function structured(r: Random): string {
  const clean = r.chance(0.5);
  const host = r.pick(clean ? CLEAN_HOSTS : HOSTS);
  const port = host === "" ? "" : r.pick(clean ? CLEAN_PORTS : PORTS);
  const path = r.pick(clean ? CLEAN_PATHS : PATHS);
  const head = host === "" ? "" : `${host}${port}/`;
  const tag = clean ? r.pick(["", ":latest", ":3.9"]) : r.pick(TAGS);
  const dig = r.chance(0.25) ? digest(r) : "";
  return `${head}${path}${tag}${dig}`;
}

const MUTATION_CHARS = ["/", ":", "@", ".", "-", "_", " ", "\t", "\n", "A", "Z", "0", "9", "[", "]", "%2f", "\u00a0", "\u0000", "#", "?", "\\"];

function mutate(r: Random, s: string): string {
  const op = r.int(6);
  const at = r.int(s.length + 1);
  switch (op) {
    case 0:
      return s.slice(0, at) + r.pick(MUTATION_CHARS) + s.slice(at);
    case 1:
      return s.slice(0, at) + s.slice(at + 1);
    case 2:
      return s.slice(0, at) + s.slice(at, at + 1).toUpperCase() + s.slice(at + 1);
    case 3:
      return ` ${s}`;
    case 4:
      return `${s}${r.pick([" ", "\n", "/", ".", ":"])}`;
    default:
      return s + s.slice(at);
  }
}

export function generateImages(r: Random, count: number): string[] {
  const out = new Set<string>();
  while (out.size < count) {
    let image = r.chance(0.15) ? localId(r) : structured(r);
    if (r.chance(0.2)) image = mutate(r, image);
    out.add(image);
  }
  return [...out];
}
