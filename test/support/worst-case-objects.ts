// The worst objects an attacker can submit to the registry templates: each a Pod in `default`
// of about 1.5 MiB (the API server's request limit is 3 MiB, etcd's object limit 1.5 MiB), shaped
// to make an evaluation as slow as possible, at and beyond the templates' bound on containers
// and volumes (MAX_IMAGE_ITEMS). Used by `npm run bench:worst-case` (gator's own timings) and by
// the tests that check azpol test's verdicts on them.
import { MAX_IMAGE_ITEMS, MAX_POD_SPEC_ITEMS } from "../../src/core/pod-bearing-kinds.js";
import type { KubeObject } from "../../src/rego/kubernetes-object.js";

export interface WorstCase {
  name: string;
  why: string;
  object: KubeObject;
}

const MIB = 1024 * 1024;
const LISTS = ["containers", "initContainers", "ephemeralContainers", "volumes"] as const;

function pod(name: string, spec: Record<string, unknown>): KubeObject {
  return { apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec };
}

/** `count` items spread over the four image lists, item i pulling image(i). */
function spreadItems(count: number, image: (i: number) => string): Record<string, unknown> {
  const spec: Record<string, unknown[]> = { containers: [], initContainers: [], ephemeralContainers: [], volumes: [] };
  for (let i = 0; i < count; i++) {
    const list = LISTS[i % LISTS.length] ?? "containers";
    const item = list === "volumes" ? { name: `v${i}`, image: { reference: image(i) } } : { name: `c${i}`, image: image(i) };
    spec[list]?.push(item);
  }
  return spec;
}

/** A valid reference of about `length` characters, distinct for each i: a long DNS name (the
 * domain has no length limit in distribution/reference), a 255-character path, a 128-character
 * tag and a sha512 digest. */
export function longImage(i: number, length: number): string {
  const tail = `/${"p".repeat(200)}/${String(i).padStart(50, "0")}:${"t".repeat(128)}@sha512:${"ab".repeat(64)}`;
  const labels: string[] = [];
  let host = `h${i}`;
  while (host.length + tail.length + 64 < length) {
    labels.push("l".repeat(62));
    host = `h${i}.${labels.join(".")}`;
  }
  return `${host}.example${tail}`;
}

/** An invalid string that fails only at its last character, as long as `length`. */
function lateInvalid(i: number, length: number): string {
  return `registry.example.com/${"a".repeat(Math.max(1, length - 40))}/${i}:tag!`;
}

// As long as the templates parse (longer images are denied unparsed, a cheap guard), within 1.5 MiB.
const perItem = (items: number) => Math.min(1000, Math.floor((1.5 * MIB) / items) - 80);

/** The most items `item(i)` (i = 0, 1, ...) a Pod of at most 1.5 MiB of JSON can hold. */
function fill(item: (i: number) => unknown, reserve = 200): number {
  let bytes = reserve;
  let n = 0;
  while ((bytes += JSON.stringify(item(n)).length + 1) <= 1.5 * MIB) n++;
  return n;
}

export function worstCases(): WorstCase[] {
  const bound = MAX_IMAGE_ITEMS;
  const tiny = fill((i) => (i % 4 === 3 ? { name: `v${i}`, image: { reference: "a" } } : { name: `c${i}`, image: "a" }));
  const plain = fill((i) => ({ name: `v${i}`, emptyDir: {} }));
  return [
    {
      name: "blocked-then-20000-containers",
      why: "the issue's attack: a blocked image first, then 20,000 tiny containers",
      object: pod("blocked-then-20000-containers", { containers: [{ name: "first", image: "k8s.gcr.io/pause" }, ...Array.from({ length: 20_000 }, (_, i) => ({ name: `c${i}`, image: "a" }))] }),
    },
    {
      name: "max-tiny-items",
      why: `as many items as 1.5 MiB holds (${tiny}), spread over the three container lists and image volumes`,
      object: pod("max-tiny-items", spreadItems(tiny, () => "a")),
    },
    {
      name: "max-plain-volumes",
      why: `one allowed container and as many emptyDir volumes (no image) as 1.5 MiB holds (${plain}): volumes are counted too`,
      object: pod("max-plain-volumes", { containers: [{ name: "main", image: "myacr.azurecr.io/app:1" }], volumes: Array.from({ length: plain }, (_, i) => ({ name: `v${i}`, emptyDir: {} })) }),
    },
    {
      name: "bound-distinct-long-valid",
      why: `${bound} items (the bound) in all four lists, each a distinct valid image of about ${perItem(bound)} characters`,
      object: pod("bound-distinct-long-valid", spreadItems(bound, (i) => longImage(i, perItem(bound)))),
    },
    {
      name: "bound-distinct-long-invalid",
      why: `${bound} items, each a distinct image of about ${perItem(bound)} characters that fails the grammar at its last character (every one denied, every message built)`,
      object: pod("bound-distinct-long-invalid", spreadItems(bound, (i) => lateInvalid(i, perItem(bound)))),
    },
    {
      name: "bound-distinct-blocked",
      why: `${bound} items, each a distinct image on a blocked registry (every one denied by the block list, every message built)`,
      object: pod("bound-distinct-blocked", spreadItems(bound, (i) => `k8s.gcr.io/${"x".repeat(200)}/img${i}:${"t".repeat(128)}@sha512:${"ab".repeat(64)}`)),
    },
    {
      name: "both-bounds",
      why: `${MAX_POD_SPEC_ITEMS} items (that bound): ${bound} distinct long blocked images (the other bound) and ${MAX_POD_SPEC_ITEMS - bound} emptyDir volumes`,
      object: pod("both-bounds", {
        ...spreadItems(bound, (i) => `k8s.gcr.io/${"x".repeat(200)}/img${i}:${"t".repeat(128)}@sha512:${"ab".repeat(64)}`),
        volumes: [
          ...Array.from({ length: bound / 4 }, (_, i) => ({ name: `iv${i}`, image: { reference: `k8s.gcr.io/${"y".repeat(200)}/vol${i}` } })),
          ...Array.from({ length: MAX_POD_SPEC_ITEMS - bound }, (_, i) => ({ name: `v${i}`, emptyDir: {} })),
        ],
      }),
    },
    {
      name: "image-bound-plus-one",
      why: `${bound + 1} items that pull an image: just over that bound, denied unread`,
      object: pod("image-bound-plus-one", spreadItems(bound + 1, (i) => `myacr.azurecr.io/app${i}:1`)),
    },
    {
      name: "item-bound-plus-one",
      why: `${MAX_POD_SPEC_ITEMS + 1} items, one container and the rest emptyDir volumes: just over that bound, denied unread`,
      object: pod("item-bound-plus-one", { containers: [{ name: "main", image: "myacr.azurecr.io/app:1" }], volumes: Array.from({ length: MAX_POD_SPEC_ITEMS }, (_, i) => ({ name: `v${i}`, emptyDir: {} })) }),
    },
  ];
}
