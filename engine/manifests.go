package main

// ReadManifests reads a manifest stream with the code `kubectl apply -f` runs, so azpol
// evaluates exactly the objects kubectl would send (issue: azpol must never read a file
// differently from kubectl). The pieces are kubectl's own:
//   - splitting and YAML→JSON: k8s.io/apimachinery pkg/util/yaml (YAMLOrJSONDecoder:
//     GuessJSONStream, YAMLReader's "---" rule) and sigs.k8s.io/yaml (goyaml.v2, YAML 1.1
//     scalars, merge keys, duplicate keys); the chunking loop is re-written here only to
//     know each document's first line, its rules are YAMLReader.Read's;
//   - decoding: unstructured.UnstructuredJSONScheme plus k8s.io/cli-runtime's
//     metadataValidatingDecoder (metadata must decode as ObjectMeta);
//   - lists: cli-runtime's FlattenListVisitor (any document with `items` is a list, nested
//     lists are an error, every item needs kind and apiVersion).
// test/oracle/manifests.differential.test.ts compares this with cli-runtime's builder itself.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured/unstructuredscheme"
	"k8s.io/apimachinery/pkg/runtime"
	utiljson "k8s.io/apimachinery/pkg/util/json"
	sigsyaml "sigs.k8s.io/yaml"
)

// ManifestObject is one object kubectl would apply, with where it came from.
type ManifestObject struct {
	Document int             `json:"document"`
	Line     int             `json:"line"`
	Item     *int            `json:"item,omitempty"`
	Object   json.RawMessage `json:"object"`
}

// ManifestProblem is one error kubectl would report; Fatal ones end the stream.
type ManifestProblem struct {
	Document int    `json:"document"`
	Line     int    `json:"line"`
	Message  string `json:"message"`
	Fatal    bool   `json:"fatal,omitempty"`
}

type ManifestRead struct {
	Objects  []ManifestObject  `json:"objects"`
	Problems []ManifestProblem `json:"problems"`
}

type rawDocument struct {
	index int
	line  int // 1-based first line of the document in the stream
	data  []byte
}

// ReadManifests reads a whole stream. forceYAML skips the JSON guess: azpol sends a large
// YAML stream in runs of documents, and kubectl guesses JSON or YAML once per stream.
func ReadManifests(text string, forceYAML bool) ManifestRead {
	read := ManifestRead{Objects: []ManifestObject{}, Problems: []ManifestProblem{}}
	emit := func(doc rawDocument) {
		decodeDocument(doc, &read)
	}
	var err error
	var at rawDocument
	if !forceYAML && isJSONStream(text) {
		at, err = jsonDocuments(text, emit)
	} else {
		at, err = yamlDocuments(text, emit)
	}
	if err != nil {
		read.Problems = append(read.Problems, ManifestProblem{Document: at.index, Line: at.line, Message: "error parsing: " + err.Error(), Fatal: true})
	}
	return read
}

// GuessJSONStream: JSON when the first non-space character (within the 4096-byte peek) is "{".
func isJSONStream(text string) bool {
	peek := text
	if len(peek) > 4096 {
		peek = peek[:4096]
	}
	return strings.HasPrefix(strings.TrimLeftFunc(peek, unicode.IsSpace), "{")
}

func jsonDocuments(text string, emit func(rawDocument)) (rawDocument, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	for i := 0; ; i++ {
		start := dec.InputOffset()
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			if err == io.EOF {
				return rawDocument{}, nil
			}
			return rawDocument{index: i, line: lineAt(text, int(dec.InputOffset()))}, err
		}
		emit(rawDocument{index: i, line: lineAt(text, int(start)+leadingSpace(text[start:])), data: raw})
	}
}

func leadingSpace(s string) int {
	return len(s) - len(strings.TrimLeftFunc(s, unicode.IsSpace))
}

func lineAt(text string, offset int) int {
	if offset > len(text) {
		offset = len(text)
	}
	return strings.Count(text[:offset], "\n") + 1
}

// yamlDocuments is YAMLReader.Read's loop (apimachinery pkg/util/yaml/decoder.go) with line
// numbers: a line starting with "---" ends a document, and may be followed only by spaces
// and a comment; each document is converted with sigs.k8s.io/yaml as YAMLToJSONDecoder does.
func yamlDocuments(text string, emit func(rawDocument)) (rawDocument, error) {
	reader := bufio.NewReader(strings.NewReader(text))
	var buffer bytes.Buffer
	line, start, index := 0, 1, 0
	flush := func() error {
		if buffer.Len() == 0 {
			return nil
		}
		doc := rawDocument{index: index, line: start}
		index++
		data, err := sigsyaml.YAMLToJSON(buffer.Bytes())
		buffer.Reset()
		if err != nil {
			return fmt.Errorf("error converting YAML to JSON: %w", err)
		}
		doc.data = data
		emit(doc)
		return nil
	}
	for {
		text, readErr := reader.ReadString('\n')
		if readErr == io.EOF && text == "" {
			at := rawDocument{index: index, line: start}
			if err := flush(); err != nil {
				return at, err
			}
			return rawDocument{}, nil
		}
		// LineReader uses bufio.ReadLine: the line without "\n" or "\r\n", then one "\n".
		line++
		if strings.HasSuffix(text, "\r\n") {
			text = text[:len(text)-2]
		} else if strings.HasSuffix(text, "\n") {
			text = text[:len(text)-1]
		}
		text += "\n"
		if strings.HasPrefix(text, "---") {
			trimmed := strings.TrimSpace(text[3:])
			if len(trimmed) > 0 && trimmed[0] != '#' {
				return rawDocument{index: index, line: line}, fmt.Errorf("invalid Yaml document separator: %s", trimmed)
			}
			// A separator ends a non-empty document; with nothing buffered yet, YAMLReader
			// keeps the line as the start of the next document.
			if buffer.Len() != 0 {
				at := rawDocument{index: index, line: start}
				if err := flush(); err != nil {
					return at, err
				}
				start = line + 1
				continue
			}
		}
		if buffer.Len() == 0 {
			start = line
		}
		buffer.WriteString(text)
	}
}

type metadataOnlyObject struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
}

var objectTyper = unstructuredscheme.NewUnstructuredObjectTyper()

// decodeDocument is StreamVisitor's per-document step, mapper.infoForData, and
// FlattenListVisitor (cli-runtime pkg/resource/visitor.go), local (no API server).
func decodeDocument(doc rawDocument, read *ManifestRead) {
	raw := bytes.TrimSpace(doc.data)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return
	}
	problem := func(err error) {
		read.Problems = append(read.Problems, ManifestProblem{Document: doc.index, Line: doc.line, Message: err.Error()})
	}
	obj, _, err := unstructured.UnstructuredJSONScheme.Decode(raw, nil, nil)
	if err == nil {
		if _, ok := obj.(runtime.Unstructured); ok {
			err = utiljson.Unmarshal(raw, &metadataOnlyObject{})
		}
	}
	if err != nil {
		problem(fmt.Errorf("unable to decode: %w", err))
		return
	}
	if !meta.IsListType(obj) {
		appendObject(read, doc, nil, obj)
		return
	}
	items := []runtime.Object{}
	toProcess := []runtime.Object{obj}
	for i := 0; i < len(toProcess); i++ {
		current := toProcess[i]
		if !meta.IsListType(current) {
			items = append(items, current)
			continue
		}
		listed, err := meta.ExtractList(current)
		if err != nil {
			problem(err)
			return
		}
		if errs := runtime.DecodeList(listed, unstructured.UnstructuredJSONScheme); len(errs) > 0 {
			problem(errs[0])
			return
		}
		toProcess = append(toProcess, listed...)
	}
	for i, item := range items {
		if _, _, err := objectTyper.ObjectKinds(item); err != nil {
			problem(fmt.Errorf("items[%d]: %w", i, err))
			continue
		}
		n := i
		appendObject(read, doc, &n, item)
	}
}

func appendObject(read *ManifestRead, doc rawDocument, item *int, obj runtime.Object) {
	u, ok := obj.(*unstructured.Unstructured)
	if !ok {
		read.Problems = append(read.Problems, ManifestProblem{Document: doc.index, Line: doc.line, Message: fmt.Sprintf("unexpected object type %T", obj)})
		return
	}
	// FilterNamespace (cli-runtime Builder.Do): without an API server, an object whose namespace
	// is not a non-empty string loses it (against a server, kubectl's default namespace replaces it).
	if u.GetNamespace() == "" {
		unstructured.RemoveNestedField(u.Object, "metadata", "namespace")
	}
	data, err := json.Marshal(u.Object)
	if err != nil {
		read.Problems = append(read.Problems, ManifestProblem{Document: doc.index, Line: doc.line, Message: err.Error()})
		return
	}
	read.Objects = append(read.Objects, ManifestObject{Document: doc.index, Line: doc.line, Item: item, Object: data})
}
