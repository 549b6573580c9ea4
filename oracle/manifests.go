package main

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/cli-runtime/pkg/resource"
)

// ManifestRead is what `kubectl apply -f FILE` would send, object by object, in order.
type ManifestRead struct {
	File    string           `json:"file"`
	Objects []map[string]any `json:"objects"`
	Errors  []string         `json:"errors"`
}

func readManifest(file string) ManifestRead {
	read := ManifestRead{File: file, Objects: []map[string]any{}, Errors: []string{}}
	err := resource.NewLocalBuilder().
		Unstructured().
		ContinueOnError().
		FilenameParam(false, &resource.FilenameOptions{Filenames: []string{file}}).
		Flatten().
		Do().
		Visit(func(info *resource.Info, err error) error {
			if err != nil {
				return err
			}
			if u, ok := info.Object.(*unstructured.Unstructured); ok {
				read.Objects = append(read.Objects, u.Object)
				return nil
			}
			read.Objects = append(read.Objects, map[string]any{"__notUnstructured": true})
			return nil
		})
	if err != nil {
		if agg, ok := err.(errors.Aggregate); ok {
			for _, e := range agg.Errors() {
				read.Errors = append(read.Errors, e.Error())
			}
		} else {
			read.Errors = append(read.Errors, err.Error())
		}
	}
	return read
}
