//go:build !js

package main

// kustomizeBuild renders a kustomization the way `kubectl apply -k <dir>` does: cli-runtime's
// KustomizeVisitor (k8s.io/cli-runtime v0.33 pkg/resource/kustomizevisitor.go) runs krusty with
// its default options and the legacy reorder, on the real file system, and feeds the YAML to the
// manifest reader; azpol does the same with the kustomize API kubectl 1.33 links
// (sigs.k8s.io/kustomize/api v0.19.0, cli-runtime v0.33.3's go.mod). Native build only: the
// js/wasm build has no file system (kustomize_wasm.go says so).

import (
	"sigs.k8s.io/kustomize/api/krusty"
	"sigs.k8s.io/kustomize/kyaml/filesys"
)

const kustomizeAvailable = true

func kustomizeBuild(dir string) map[string]any {
	opts := krusty.MakeDefaultOptions()
	opts.Reorder = krusty.ReorderOptionLegacy
	m, err := krusty.MakeKustomizer(opts).Run(filesys.MakeFsOnDisk(), dir)
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	yml, err := m.AsYaml()
	if err != nil {
		return map[string]any{"error": err.Error()}
	}
	return map[string]any{"yaml": string(yml)}
}
