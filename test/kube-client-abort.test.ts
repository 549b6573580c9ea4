// The Kubernetes calls of `azpol impact` are aborted, not only raced, when the request timeout or
// the deadline passes: the real @kubernetes/client-node 1.3 (which takes no AbortSignal per call)
// against the fake API server (test/fake-kube), in this process, so the check cannot be the
// process exiting. The fake records a silent request whose client closed its connection.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POD_BEARING_KINDS, type PodBearingKind } from "../src/core/pod-bearing-kinds.js";
import { kubeClientPort } from "../src/impact/kube-client-port.js";
import { networkPolicy } from "../src/net/network-policy.js";
import { FakeKube } from "./fake-kube/server.js";

const dir = mkdtempSync(join(tmpdir(), "azpol-kube-abort-"));
const pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "web", namespace: "shop" }, spec: { containers: [{ name: "c", image: "k8s.gcr.io/pause:3.9" }] } };
const kube = new FakeKube({ token: "t", objects: { "/namespaces": [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } }], "/pods": [pod] }, silent: ["apps/deployments", "apps/statefulsets"] });

beforeAll(async () => {
  await kube.start();
  writeFileSync(join(dir, "kubeconfig"), kube.kubeconfig());
});
afterAll(async () => {
  await kube.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** resolves once the fake has seen `path`'s connection closed by the client (no wall-time bound: the test's own timeout is the bound) */
const kind = (name: string) => POD_BEARING_KINDS.find((k) => k.kind === name) as PodBearingKind;

async function closed(path: string): Promise<void> {
  while (!kube.closedByClient.includes(path)) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe("Kubernetes calls under the network policy", () => {
  it("a list the API server never answers ends in ClusterTimeout and its connection is closed (request timeout)", async () => {
    const port = kubeClientPort({ kubeconfig: join(dir, "kubeconfig"), network: networkPolicy({ requestTimeoutMs: 300 }) });
    await expect(port.list(kind("Deployment"))).rejects.toMatchObject({ code: "ClusterTimeout" });
    await closed("/apis/apps/v1/deployments");
    // the client still works: answered lists are not affected by the middleware
    expect(await port.list(kind("Pod"))).toMatchObject([{ kind: "Pod", metadata: { name: "web" } }]);
  });

  it("the same when the deadline comes first", async () => {
    const port = kubeClientPort({ kubeconfig: join(dir, "kubeconfig"), network: networkPolicy({ requestTimeoutMs: 600_000, deadlineMs: 300 }) });
    const error = await port.list(kind("StatefulSet")).then(() => undefined, (e: unknown) => e as { code: string; message: string });
    expect(error?.code).toBe("ClusterTimeout");
    expect(error?.message).toMatch(/--deadline/);
    await closed("/apis/apps/v1/statefulsets");
  });
});
