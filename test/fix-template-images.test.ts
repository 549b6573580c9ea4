// Images written into Helm chart templates (src/fix/template-images.ts): found by place (an
// `image:` key) and by shape, never in YAML comments, and always read-only (fix never edits a Go
// template). The e2e proof with the real helm render is in test/e2e/fix-helm.e2e.test.ts.
import { describe, expect, it } from "vitest";
import { templateImageSites } from "../src/fix/template-images.js";

const gcr = (host: string) => host === "k8s.gcr.io";
const found = (text: string, known: (h: string) => boolean = gcr) => templateImageSites(text, known).map((s) => [s.line, s.shown ?? s.image]);

describe("images in Helm templates", () => {
  it("finds what the render would run, with its line", () => {
    const text = [
      "apiVersion: v1", // 1
      "kind: Pod", // 2
      "spec:", // 3
      "  containers:", // 4
      "  - image: busybox:1.36", // 5: by place, Docker Hub
      '    name: "a"', // 6
      "  - image: \"quay.io/x/y:{{ .Chart.AppVersion }}\"", // 7: templated tag
      "  - image: {{ .Values.image | default \"ghcr.io/o/p@sha256:" + "a".repeat(64) + "\" }}", // 8: digest
      '  - image: "{{ .Values.hub }}/etcd:3.5"', // 9: from values: not here
      "  # image: k8s.gcr.io/old:1", // 10: a comment
      '{{- define "x" -}}k8s.gcr.io/sidecar{{- end -}}', // 11: a known host, untagged
      '{{ .Values.registry | default "k8s.gcr.io" }}/pause:3.9', // 12: the bare host
      "see https://k8s.gcr.io/docs and kubernetes.io/aws-ebs", // 13: a URL, a provisioner
    ].join("\n");
    expect(found(text)).toEqual([
      [5, "busybox:1.36"],
      [7, "quay.io/x/y"],
      [8, `ghcr.io/o/p@sha256:${"a".repeat(64)}`],
      [11, "k8s.gcr.io/sidecar"],
      [12, "k8s.gcr.io"],
    ]);
    for (const site of templateImageSites(text, gcr)) expect(site.readOnly).toMatch(/fix cannot edit Go templates/);
  });

  it("an untagged image on a registry no rule moves from is not guessed outside an image: key", () => {
    expect(found('{{ define "a" }}quay.io/x/y{{ end }}', () => false)).toEqual([]);
    expect(found('{{ define "a" }}quay.io/x/y:1{{ end }}', () => false)).toEqual([[1, "quay.io/x/y:1"]]);
  });
});
