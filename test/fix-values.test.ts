// Images in Helm values found by shape, not key names (src/fix/values-images.ts): image maps at any
// depth (registry/repository/image/name beside tag/digest/sha), registry overrides, plain strings
// and lists; a templated or ambiguous image is "unsure" (needs a human), never silently skipped.
import { describe, expect, it } from "vitest";
import { findImages } from "../src/fix/find-images.js";
import { parseReference } from "../src/fix/image-reference.js";
import { replacementFor, rewriteReference } from "../src/fix/rewrite-image.js";

const scan = (text: string) => {
  const found = findImages(text, (host) => host === "k8s.gcr.io");
  if ("error" in found) throw new Error(found.error);
  return { sites: found.sites.map((s) => `${s.line} ${s.part} ${text.slice(s.start, s.end)} = ${s.shown ?? s.image}`), unsure: found.unsure.map((u) => `${u.line} ${u.value}`) };
};

describe("Helm values by shape", () => {
  it("ingress-nginx: {registry, image, tag, digest}; the inner image key is the repository, not a Docker Hub image", () => {
    const values = "controller:\n  image:\n    registry: k8s.gcr.io\n    image: ingress-nginx/controller\n    tag: \"v1.1.1\"\n    digest: sha256:" + "0".repeat(64) + "\n";
    expect(scan(values)).toEqual({ sites: [`3 registry k8s.gcr.io = k8s.gcr.io/ingress-nginx/controller:v1.1.1@sha256:${"0".repeat(64)}`], unsure: [] });
  });

  it("csi-driver-nfs: image.<component>.{repository, tag}", () => {
    const values = "image:\n  nfs:\n    repository: k8s.gcr.io/sig-storage/nfsplugin\n    tag: v3.1.0\n  livenessProbe:\n    repository: k8s.gcr.io/sig-storage/livenessprobe\n    tag: 2.5\n";
    expect(scan(values).sites).toEqual(["3 repository k8s.gcr.io/sig-storage/nfsplugin = k8s.gcr.io/sig-storage/nfsplugin:v3.1.0", "6 repository k8s.gcr.io/sig-storage/livenessprobe = k8s.gcr.io/sig-storage/livenessprobe:2.5"]);
  });

  it("a registry named by istio's hub:, kubeadm's imageRepository:, or a bare host a rule moves from under any key, is an override", () => {
    const values = "hub: docker.io/istio\nimageRepository: k8s.gcr.io\nmirror:\n  source: k8s.gcr.io\nother: quay.io\nhubble: quay.io\n";
    expect(scan(values).sites).toEqual(["1 registry docker.io/istio = docker.io/istio (hub)", "2 registry k8s.gcr.io = k8s.gcr.io (imageRepository)", "4 registry k8s.gcr.io = k8s.gcr.io (source)"]);
  });

  it("kube-state-metrics and bitnami: sha and digest, an empty tag, global.imageRegistry as an override", () => {
    const values = "global:\n  imageRegistry: k8s.gcr.io\nimage:\n  registry: docker.io\n  repository: bitnami/nginx\n  tag: \"\"\n  sha: " + "a".repeat(64) + "\n";
    expect(scan(values).sites).toEqual(["2 registry k8s.gcr.io = k8s.gcr.io (imageRegistry)", `4 registry docker.io = docker.io/bitnami/nginx@sha256:${"a".repeat(64)}`]);
  });

  it("plain strings and lists: with a registry and a tag, under an image-like key, or on a registry a rule moves; not provisioners or URLs", () => {
    const values = "sidecarImage: k8s.gcr.io/pause:3.6\nextra:\n  - k8s.gcr.io/busybox:1.27\n  - k8s.gcr.io/untagged\ninit:\n  image: busybox\nprovisioner: kubernetes.io/aws-ebs\nurl: https://k8s.gcr.io/v2/\nimagePullSecrets: [regcred]\n";
    expect(scan(values).sites).toEqual(["1 image k8s.gcr.io/pause:3.6 = k8s.gcr.io/pause:3.6", "3 image k8s.gcr.io/busybox:1.27 = k8s.gcr.io/busybox:1.27", "4 image k8s.gcr.io/untagged = k8s.gcr.io/untagged", "6 image busybox = busybox"]);
  });

  it("a templated image, or one where the template picks between repository and registry/image, is unsure", () => {
    const values = "a:\n  image:\n    registry: \"{{ .Values.global.registry }}\"\n    repository: app\n    tag: v1\nb:\n  image:\n    registry: k8s.gcr.io\n    image: x\n    repository: k8s.gcr.io/y\n    tag: v1\nc:\n  image: \"{{ .Values.img }}\"\n";
    expect(scan(values)).toEqual({ sites: [], unsure: ["4 app", "10 k8s.gcr.io/x or k8s.gcr.io/y", "13 {{ .Values.img }}"] });
  });

  it("a chart dependency or a name with a version is not an image", () => {
    expect(scan("dependencies:\n- name: common\n  repository: https://charts.bitnami.com/bitnami\n  version: 2.x.x\n").sites).toEqual([]);
  });

  it("Kubernetes objects keep to image: keys", () => {
    expect(scan("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  img: k8s.gcr.io/pause:3.9\n").sites).toEqual([]);
  });
});

describe("references", () => {
  it.each([
    ["k8s.gcr.io/pause:3.9", { host: "k8s.gcr.io", path: "pause", tag: "3.9" }],
    ["localhost:5000/a/b@sha256:" + "f".repeat(64), { host: "localhost:5000", path: "a/b", digest: "sha256:" + "f".repeat(64) }],
    ["library/nginx", { path: "library/nginx" }],
    ["nginx", { path: "nginx" }],
  ])("%s", (text, expected) => expect(parseReference(text)).toEqual(expected));

  it.each(["https://x.io/a", "Upper/case", "a b", "x.io/a:tag:tag", ""])("%s is not one", (text) => expect(parseReference(text)).toBeUndefined());

  it("a docker.io rule moves short names too (the pull-through cache case)", () => {
    const rules = { "docker.io": "myacr.azurecr.io/docker" };
    expect(rewriteReference("prometheus:2.6.1", replacementFor("prometheus:2.6.1", rules) as never)).toBe("myacr.azurecr.io/docker/library/prometheus:2.6.1");
    expect(rewriteReference("bitnami/nginx:1", replacementFor("bitnami/nginx:1", rules) as never)).toBe("myacr.azurecr.io/docker/bitnami/nginx:1");
    expect(replacementFor("quay.io/x:1", rules)).toBeUndefined();
  });
});
