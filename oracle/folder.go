package main

import (
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/errors"
	"k8s.io/cli-runtime/pkg/resource"
)

// FolderRead is what `kubectl apply -f DIR` (with -R when Recursive) would send: each object
// with the file it came from (info.Source), in kubectl's order.
type FolderRead struct {
	Objects []FolderObject `json:"objects"`
	Errors  []string       `json:"errors"`
}

type FolderObject struct {
	Source string `json:"source"`
	Kind   string `json:"kind"`
	Name   string `json:"name"`
}

func readFolder(dir string, recursive bool) FolderRead {
	read := FolderRead{Objects: []FolderObject{}, Errors: []string{}}
	err := resource.NewLocalBuilder().
		Unstructured().
		ContinueOnError().
		FilenameParam(false, &resource.FilenameOptions{Filenames: []string{dir}, Recursive: recursive}).
		Flatten().
		Do().
		Visit(func(info *resource.Info, err error) error {
			if err != nil {
				return err
			}
			o := FolderObject{Source: info.Source, Name: info.Name}
			if u, ok := info.Object.(*unstructured.Unstructured); ok {
				o.Kind = u.GetKind()
			}
			read.Objects = append(read.Objects, o)
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
