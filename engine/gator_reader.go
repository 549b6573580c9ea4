package main

// gator verify's own file reader (GK v3.19.1 pkg/gator/reader/read_resources.go ReadUnstructured,
// ReadUnstructureds and clean; pkg/gator/yaml.go ParseYaml), ported line for line because that
// package does not build for js/wasm. It differs from kubectl's reader (manifests.go), and a
// suite must be read the way gator reads it:
//   - yaml.v3 (YAML 1.2: `y`, `on`, `no` are strings), then JSON, then Unstructured's decoder;
//   - a template, constraint or ExpansionTemplate file is one Unmarshal of the whole file (only
//     its first document counts);
//   - a case object or inventory file is split on "\n---", blank and comment-only lines are
//     dropped from each part (clean), and each non-empty part is one object.

import (
	"encoding/json"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func gatorParseYAML(text []byte) (map[string]any, error) {
	obj := make(map[string]interface{})
	if err := yaml.Unmarshal(text, obj); err != nil {
		return nil, err
	}
	jsonBytes, err := json.Marshal(obj)
	if err != nil {
		return nil, err
	}
	u := &unstructured.Unstructured{Object: make(map[string]interface{})}
	if err := json.Unmarshal(jsonBytes, u); err != nil {
		return nil, err
	}
	return u.Object, nil
}

func gatorClean(text string) string {
	var b strings.Builder
	for _, line := range strings.Split(text, "\n") {
		trimmed := strings.TrimSpace(line)
		if len(trimmed) == 0 || strings.HasPrefix(trimmed, "#") {
			continue
		}
		b.WriteString(line)
		b.WriteString("\n")
	}
	return b.String()
}

// gatorRead: all=false reads one object from the whole text (ReadUnstructured), all=true reads
// every "\n---" part (ReadUnstructureds).
func gatorRead(text string, all bool) map[string]any {
	if !all {
		obj, err := gatorParseYAML([]byte(text))
		if err != nil {
			return map[string]any{"error": err.Error()}
		}
		return map[string]any{"objects": []map[string]any{obj}}
	}
	objects := []map[string]any{}
	for _, split := range strings.Split(text, "\n---") {
		split = gatorClean(split)
		if len(split) == 0 {
			continue
		}
		obj, err := gatorParseYAML([]byte(split))
		if err != nil {
			return map[string]any{"error": fmt.Sprintf("invalid yaml: %s", err)}
		}
		objects = append(objects, obj)
	}
	return map[string]any{"objects": objects}
}
