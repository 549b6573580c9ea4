// The bypass families azpol's own templates defend against (constraint-templates/README.md,
// test/bypass.test.ts), written as generators over any template: each makes objects that a
// template trusting what it claims to trust must deny. Images are built from the two probe
// images (probe-images.ts): `denied` (a registry the template refuses) and `allowed` (one it
// trusts). Every image here is one the kubelet and containerd would pull (distribution/
// reference grammar), from a registry the template does not trust.
import { POD_BEARING_KINDS } from "../core/pod-bearing-kinds.js";
import type { KubeObject } from "../rego/kubernetes-object.js";
import { objectWithPodSpec, podSpecWith, podWith, POD_KIND, type ImageField } from "./probe-objects.js";

export interface AttackCase {
  /** what this object tries, in words */
  attempt: string;
  object: KubeObject;
}

export interface AttackFamily {
  family: string;
  description: string;
  cases: AttackCase[];
}

export interface ProbeContext {
  denied: string;
  allowed?: string;
  /** the template denies images from registries nobody listed (an allow list) */
  allowList: boolean;
  /** the template allows Docker Hub's nginx (then short names are not an attack) */
  trustsDockerHub: boolean;
}

const DIGEST = `sha256:${"4fb9".repeat(16)}`;
const DOCKER_HUB_HOSTS = ["docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"];

/** host and the rest, by the reference grammar's rule: the first segment is a host if it has "." or ":" or is localhost. */
export function splitImage(image: string): { host?: string; rest: string } {
  const slash = image.indexOf("/");
  if (slash < 0) return { rest: image };
  const first = image.slice(0, slash);
  if (first.includes(".") || first.includes(":") || first === "localhost") return { host: first, rest: image.slice(slash + 1) };
  return { rest: image };
}

const withoutTag = (rest: string) => rest.replace(/@.*$/, "").replace(/:[^/]*$/, "");

function pods(images: [string, string][], field: ImageField, baseline: string | undefined, family: string): AttackCase[] {
  return images.map(([attempt, image], i) => ({ attempt: `${attempt}: ${JSON.stringify(image)}`, object: podWith(field, image, baseline, `${family}-${i}`) }));
}

export function attackFamilies(ctx: ProbeContext): AttackFamily[] {
  const { denied, allowed } = ctx;
  const d = splitImage(denied);
  const a = allowed === undefined ? undefined : splitImage(allowed);
  const families: AttackFamily[] = [];
  const add = (family: string, description: string, cases: AttackCase[]) => {
    if (cases.length) families.push({ family, description, cases });
  };
  // look-alikes of the trusted registry: only an allow list trusts by name
  if (ctx.allowList && a?.host) {
    const host = a.host.replace(/:\d+$/, "");
    const path = withoutTag(a.rest);
    add("host-suffix", "a host that ends in another domain: the trusted name followed by more labels", pods([["trusted host as a subdomain", `${host}.evil.example/${path}:1.0`]], "containers", undefined, "suffix"));
    add("host-prefix", "a host that merely starts or ends with the trusted name's text", pods([["trusted host with a prefix", `evil${host}/${path}:1.0`], ["trusted host after a hyphen", `evil-${host}/${path}:1.0`]], "containers", undefined, "prefix"));
    add("path", "the trusted name inside the path or tag of an untrusted registry", pods([["trusted host as a path", `evil.example/${host}/${path}:1.0`], ["trusted host as a tag", `evil.example/app:${host.replace(/[^\w.-]/g, "")}`]], "containers", undefined, "path"));
  }
  if (ctx.allowList && !ctx.trustsDockerHub) {
    add("docker-hub", "Docker Hub short names and aliases (nginx is docker.io/library/nginx)", pods(["nginx:1.25", "library/nginx:1.25", ...DOCKER_HUB_HOSTS.map((h) => `${h}/library/nginx:1.25`)].map((i) => ["Docker Hub image", i]), "containers", undefined, "hub"));
  }
  if (d.host && DOCKER_HUB_HOSTS.includes(d.host.toLowerCase())) {
    const repo = withoutTag(d.rest).replace(/^library\//, "");
    add("docker-hub", "other spellings of the same Docker Hub image", pods([`${repo}:1.0`, `library/${repo}:1.0`, ...DOCKER_HUB_HOSTS.map((h) => `${h}/library/${repo}:1.0`)].map((i) => ["same Docker Hub image", i]), "containers", undefined, "hub"));
  } else if (d.host) {
    add("case", "the denied registry's host in another case (hosts are case-insensitive)", pods([["upper-case host", `${d.host.toUpperCase()}/${d.rest}`], ["mixed-case host", `${d.host.charAt(0).toUpperCase()}${d.host.slice(1)}/${d.rest}`]], "containers", allowed, "case"));
    const bare = d.host.replace(/:\d+$/, "");
    add("port", "the denied registry with its default port spelled out", pods([["explicit :443", `${bare}:443/${d.rest}`], ["port with a leading zero", `${bare}:0443/${d.rest}`]], "containers", allowed, "port"));
  }
  add("digest", "the denied image pinned by digest instead of (or beside) a tag", pods([["by digest", `${withoutTag(denied)}@${DIGEST}`], ["tag and digest", `${denied.replace(/@.*$/, "")}@${DIGEST}`]], "containers", allowed, "digest"));
  add("local-image-id", "a local image ID: containerd runs a cached image by its ID without asking any registry", pods([["full image ID", DIGEST], ["short image ID", "sha256:4fb9"]], "containers", allowed, "id"));
  add("init-container", "the denied image in an init container", pods([["initContainers", denied]], "initContainers", allowed, "init"));
  add("ephemeral-container", "the denied image in an ephemeral container (kubectl debug)", pods([["ephemeralContainers", denied]], "ephemeralContainers", allowed, "ephemeral"));
  add("image-volume", "the denied image mounted as an image volume (volumes[].image.reference)", pods([["image volume", denied]], "imageVolume", allowed, "volume"));
  add(
    "workload-kind",
    "the denied image in a workload's pod template instead of a Pod",
    POD_BEARING_KINDS.filter((k) => k !== POD_KIND).map((k, i) => ({ attempt: `${k.kind} (${k.podSpecPath}.containers)`, object: objectWithPodSpec(k, podSpecWith("containers", denied, allowed), `kind-${i}`) })),
  );
  return families;
}

/** A Pod as large as the API server lets through, with the denied image in its last container. */
export function oversizedPod(ctx: ProbeContext, containers: number): KubeObject {
  const many = Array.from({ length: containers }, (_, i) => ({ name: `c${i}`, image: ctx.allowed ?? ctx.denied }));
  const spec = { containers: [...many, { name: "last", image: ctx.denied }] };
  return objectWithPodSpec(POD_KIND, spec, "oversized");
}
