// azpol mirror's plan (src/mirror): a cache rule per upstream ACR's artifact cache serves, an import
// for images pinned by digest or from upstreams it does not serve, k8s.gcr.io from registry.k8s.io,
// Docker Hub short names under library/, and nothing planned twice (idempotent with what exists).
import { describe, expect, it } from "vitest";
import { azCommands } from "../src/mirror/az-commands.js";
import { mirroredReference, mirrorReplacements } from "../src/mirror/mirror-path.js";
import { isAzpolRule, planMirror } from "../src/mirror/plan-mirror.js";
import { mirrorSteps } from "../src/mirror/apply-mirror.js";
import { replacementFor, rewriteReference } from "../src/fix/rewrite-image.js";

const R = "myacr.azurecr.io";
const digest = `sha256:${"ab".repeat(32)}`;

describe("mirror plan", () => {
  it("a new cache rule pulls with the registry's credential set for its upstream, and az is told so", () => {
    const plan = planMirror(["prometheus:2.6.1", "k8s.gcr.io/pause:3.9"], R, { cacheRules: [], artifacts: [], credentialSets: [{ name: "dockerhub", loginServer: "docker.io" }] });
    expect(plan.cacheRules.map((r) => [r.name, r.credentialSet])).toEqual([["azpol-docker-io", "dockerhub"], ["azpol-registry-k8s-io", undefined]]);
    expect(azCommands(plan)[0]).toBe("az acr cache create --registry 'myacr' --name 'azpol-docker-io' --source-repo 'docker.io/*' --target-repo 'docker.io/*' --cred-set 'dockerhub'");
  });

  it("creates a credential set asked for (Key Vault secret ids) unless the registry has one for that upstream; new rules pull with it", () => {
    const user = "https://kv.vault.azure.net/secrets/hub-user";
    const pass = "https://kv.vault.azure.net/secrets/hub-pat";
    const plan = planMirror(["prometheus:2.6.1", "quay.io/a/b:1"], R, { cacheRules: [], artifacts: [] }, { credentialSets: [{ loginServer: "docker.io", usernameSecret: user, passwordSecret: pass }] });
    expect(plan.credentialSets).toEqual([{ name: "azpol-docker-io", loginServer: "docker.io", usernameSecret: user, passwordSecret: pass }]);
    expect(plan.cacheRules.map((r) => [r.name, r.credentialSet])).toEqual([["azpol-docker-io", "azpol-docker-io"], ["azpol-quay-io", undefined]]);
    // the set is created before the rule that refers to it
    expect(mirrorSteps(plan).map((s) => `${s.kind} ${s.name}`)).toEqual(["credentialSet azpol-docker-io", "cacheRule azpol-docker-io", "cacheRule azpol-quay-io"]);
    expect(azCommands(plan)[0]).toBe(`az acr credential-set create --registry 'myacr' --name 'azpol-docker-io' --login-server 'docker.io' --username-id '${user}' --password-id '${pass}'`);
    const had = planMirror(["prometheus:2.6.1"], R, { cacheRules: [], artifacts: [], credentialSets: [{ name: "hub", loginServer: "docker.io" }] }, { credentialSets: [{ loginServer: "docker.io", usernameSecret: user, passwordSecret: pass }] });
    expect(had.credentialSets).toEqual([]);
    expect(had.credentialSetsPresent).toEqual([{ loginServer: "docker.io", name: "hub" }]);
    expect(had.cacheRules[0]?.credentialSet).toBe("hub");
  });

  it("--prune deletes only the rules azpol made (name and shape) that no image needs, after everything else", () => {
    const cacheRules = [
      { name: "azpol-registry-k8s-io", sourceRepository: "registry.k8s.io/*", targetRepository: "registry.k8s.io/*" },
      { name: "azpol-quay-io", sourceRepository: "quay.io/*", targetRepository: "quay.io/*" },
      { name: "azpol-ghcr-io", sourceRepository: "ghcr.io/*", targetRepository: "ghcr.io/*" },
      // the user's: another name, or azpol's name on another shape
      { name: "team-quay", sourceRepository: "quay.io/team/*", targetRepository: "team/*" },
      { name: "azpol-gcr-io", sourceRepository: "gcr.io/*", targetRepository: "mirror/gcr/*" },
    ];
    const plan = planMirror(["k8s.gcr.io/pause:3.9", "docker.io/nginx:1"], R, { cacheRules, artifacts: [] }, { prune: true });
    expect(plan.deletes).toEqual([{ name: "azpol-quay-io", sourceRepository: "quay.io/*" }, { name: "azpol-ghcr-io", sourceRepository: "ghcr.io/*" }]);
    expect(mirrorSteps(plan).map((s) => `${s.kind} ${s.name}`)).toEqual(["cacheRule azpol-docker-io", "deleteCacheRule azpol-quay-io", "deleteCacheRule azpol-ghcr-io"]);
    expect(azCommands(plan).at(-1)).toBe("az acr cache delete --registry 'myacr' --name 'azpol-ghcr-io' --yes");
    expect(cacheRules.map(isAzpolRule)).toEqual([true, true, true, false, false]);
    // without --prune nothing is deleted; a digest-pinned image needs no rule (it is imported)
    expect(planMirror(["k8s.gcr.io/pause:3.9"], R, { cacheRules, artifacts: [] }).deletes).toEqual([]);
    expect(planMirror([`quay.io/x@${digest}`], R, { cacheRules, artifacts: [] }, { prune: true }).deletes.map((d) => d.name)).toEqual(["azpol-registry-k8s-io", "azpol-quay-io", "azpol-ghcr-io"]);
  });

  it("cache rules per upstream, imports for digests and uncached upstreams", () => {
    const plan = planMirror(["k8s.gcr.io/pause:3.9", "registry.k8s.io/coredns/coredns:v1.11.1", "prometheus:2.6.1", `quay.io/brancz/kube-rbac-proxy@${digest}`, "example.com/team/app:1", "not a ref"], R);
    expect(plan.cacheRules).toEqual([
      { name: "azpol-docker-io", sourceRepository: "docker.io/*", targetRepository: "docker.io/*", images: ["prometheus:2.6.1"] },
      { name: "azpol-registry-k8s-io", sourceRepository: "registry.k8s.io/*", targetRepository: "registry.k8s.io/*", images: ["k8s.gcr.io/pause:3.9", "registry.k8s.io/coredns/coredns:v1.11.1"] },
    ]);
    expect(plan.imports).toEqual([
      { source: "example.com/team/app:1", target: "example.com/team/app:1", why: "ACR artifact cache does not serve example.com", images: ["example.com/team/app:1"] },
      { source: `quay.io/brancz/kube-rbac-proxy@${digest}`, target: "quay.io/brancz/kube-rbac-proxy", why: expect.stringMatching(/pinned by digest/) as unknown, images: [`quay.io/brancz/kube-rbac-proxy@${digest}`] },
    ]);
    expect(plan.unreadable).toEqual(["not a ref"]);
    expect(plan.references).toContainEqual({ image: "k8s.gcr.io/pause:3.9", mirrored: `${R}/registry.k8s.io/pause:3.9` });
    expect(plan.references).toContainEqual({ image: "prometheus:2.6.1", mirrored: `${R}/docker.io/library/prometheus:2.6.1` });
    expect(azCommands(plan)).toEqual([
      "az acr cache create --registry 'myacr' --name 'azpol-docker-io' --source-repo 'docker.io/*' --target-repo 'docker.io/*'",
      "az acr cache create --registry 'myacr' --name 'azpol-registry-k8s-io' --source-repo 'registry.k8s.io/*' --target-repo 'registry.k8s.io/*'",
      "az acr import --name 'myacr' --source 'example.com/team/app:1' --image 'example.com/team/app:1'",
      `az acr import --name 'myacr' --source 'quay.io/brancz/kube-rbac-proxy@${digest}' --repository 'quay.io/brancz/kube-rbac-proxy'`,
    ]);
  });

  it("a second plan against what the first created plans nothing", () => {
    const images = ["k8s.gcr.io/pause:3.9", `quay.io/x@${digest}`];
    const again = planMirror(images, R, { cacheRules: [{ sourceRepository: "registry.k8s.io/*", targetRepository: "registry.k8s.io/*" }], artifacts: [`quay.io/x@${digest}`] });
    expect({ rules: again.cacheRules, imports: again.imports, upToDate: again.upToDate }).toEqual({ rules: [], imports: [], upToDate: images });
  });

  it("fix --to rules land every image where the plan mirrors it", () => {
    const rules = mirrorReplacements(R, ["k8s.gcr.io", "quay.io", "docker.io", "index.docker.io"]);
    // every spelling of a Docker Hub image (distribution/reference normalize.go) lands where mirror names it
    const hub = ["prometheus:2.6.1", "library/prometheus:2.6.1", "docker.io/prometheus:2.6.1", "docker.io/library/prometheus:2.6.1", "index.docker.io/prometheus:2.6.1", "index.docker.io/library/prometheus:2.6.1"];
    for (const image of ["k8s.gcr.io/pause:3.9", "bitnami/nginx:1", "docker.io/bitnami/nginx:1", `quay.io/x/y@${digest}`, `docker.io/nginx@${digest}`, ...hub]) {
      const rule = replacementFor(image, rules);
      expect(rule && rewriteReference(image, rule), image).toBe(mirroredReference(image, R));
    }
    for (const image of hub) expect(mirroredReference(image, R)).toBe(`${R}/docker.io/library/prometheus:2.6.1`);
  });

  it("a replacement rule for a Docker Hub image matches it however it is spelled", () => {
    const rules = { "docker.io/nginx": "myacr.azurecr.io/hub/nginx" };
    for (const image of ["nginx:1", "docker.io/nginx:1", "docker.io/library/nginx:1", "index.docker.io/library/nginx:1"]) {
      expect(rewriteReference(image, replacementFor(image, rules) as never), image).toBe("myacr.azurecr.io/hub/nginx:1");
    }
    expect(replacementFor("nginxx:1", rules)).toBeUndefined();
    expect(replacementFor("docker.io/bitnami/nginx:1", rules)).toBeUndefined();
  });
});
