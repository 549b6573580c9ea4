// Whether a string is a container image reference, by the grammar of
// github.com/distribution/reference (reference.go / regexp.go): [domain/]path[:tag][@digest],
// where the domain is the first component when it has a '.', a ':port' or is localhost
// (normalize.go splitDockerDomain). fix uses it to recognise images in Helm values by their
// shape, not their key names, and to leave everything else (URLs, prose, paths) alone.
const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const TAG = "[\\w][\\w.-]{0,127}";
const DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
const REFERENCE = new RegExp(`^(?:(${DOMAIN})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);

export interface ImageReference {
  /** the registry host (with :port), when the reference names one */
  host?: string;
  path: string;
  tag?: string;
  digest?: string;
}

const looksLikeHost = (first: string) => first.includes(".") || first.includes(":") || first === "localhost" || first.startsWith("[");

export function parseReference(text: string): ImageReference | undefined {
  if (text.length > 4096) return undefined;
  const m = REFERENCE.exec(text);
  if (!m) return undefined;
  let host = m[1];
  let path = m[2] as string;
  // "library/nginx" matched the optional domain as a path: a first component is a domain only
  // when it looks like a host
  if (host !== undefined && !looksLikeHost(host)) {
    if (host !== host.toLowerCase()) return undefined;
    path = `${host}/${path}`;
    host = undefined;
  }
  return { ...(host !== undefined ? { host } : {}), path, ...(m[3] !== undefined ? { tag: m[3] } : {}), ...(m[4] !== undefined ? { digest: m[4] } : {}) };
}

/**
 * Where an image lives on Docker Hub, the way distribution/reference normalizes it (normalize.go
 * ParseNormalizedNamed / splitDockerDomain): no host or `docker.io` / `index.docker.io` is Docker
 * Hub, named `docker.io`, and a one-component path is an official image under `library/`. The one
 * place both `fix --to` (rewrite-image.ts) and `mirror` (mirror-path.ts) name a Hub image, so
 * `nginx`, `docker.io/nginx` and `index.docker.io/library/nginx` all move to the same path.
 * Other hosts are returned as they are.
 */
export function normalizeHub(host: string | undefined, path: string): { host: string; path: string } {
  const h = host === undefined ? "docker.io" : host.toLowerCase() === "index.docker.io" || host.toLowerCase() === "docker.io" ? "docker.io" : host;
  return { host: h, path: h === "docker.io" && !path.includes("/") ? `library/${path}` : path };
}

/** A reference that names its registry: "k8s.gcr.io/pause:3.9" yes, "nginx:1.25" or "a/b" no. */
export function isQualifiedReference(text: string): boolean {
  const ref = parseReference(text);
  return ref?.host !== undefined;
}

/** A registry value on its own ("k8s.gcr.io", "registry.k8s.io/ingress-nginx", "docker.io"). */
export function isRegistryValue(text: string): boolean {
  return parseReference(`${text}/azpol-probe`)?.host !== undefined;
}
