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
// test/oracle/manifests.differential.test.ts compares this with cli-runtime's builder itself, at
// k8s.io/cli-runtime v0.37.2 (kubectl 1.37, the newest release; oracle/go.mod), including
// streams that start with "{" (flow-style YAML, JSON then YAML). The engine links apimachinery
// at the version Gatekeeper pins (engine/go.mod); the stream rules below are v0.37's.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

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
//
// The stream rule is YAMLOrJSONDecoder's as of k8s.io/apimachinery v0.33 (unchanged to v0.37,
// the version kubectl 1.37 / cli-runtime v0.37 use; pkg/util/yaml/decoder.go): a stream whose
// first non-space character is "{" is decoded as JSON values first; when the JSON decoder
// fails after at most one value, the stream is re-read as YAML from the end of the last
// value it decoded (so a flow-style first document, `{apiVersion: v1, ...}`, and a JSON
// object followed by YAML documents are read); after two or more JSON values, a failure is
// the stream's error. Before the switch, whitespace up to and including the first newline is
// eaten (consumeWhitespace).
func ReadManifests(text string, forceYAML bool) ManifestRead {
	read := ManifestRead{Objects: []ManifestObject{}, Problems: []ManifestProblem{}}
	emit := func(doc rawDocument) {
		decodeDocument(doc, &read)
	}
	fail := func(at rawDocument, err error) {
		read.Problems = append(read.Problems, ManifestProblem{Document: at.index, Line: at.line, Message: "error parsing: " + err.Error(), Fatal: true})
	}
	if forceYAML || !isJSONStream(text) {
		if at, err := yamlDocuments(text, 0, 0, emit); err != nil {
			fail(at, err)
		}
		return read
	}
	consumed, count, at, jsonErr := jsonDocuments(text, emit)
	if jsonErr == nil {
		return read
	}
	if count > 1 {
		fail(at, jsonErr)
		return read
	}
	start, ok := yamlStartAfterJSON(text, consumed)
	if !ok {
		fail(at, jsonErr)
		return read
	}
	yamlAt, err := yamlDocuments(text[start:], count, lineAt(text, start)-1, emit)
	if err != nil {
		// The Decode call that switched to YAML returns the JSON decoder's error when the
		// first YAML document fails too.
		if yamlAt.index == count {
			err = jsonErr
		}
		fail(yamlAt, err)
	}
	return read
}

// yamlStartAfterJSON is consumeWhitespace: from the end of the last JSON value, runes are
// read 4 bytes at a time (StreamReader.ReadN(4)); spaces are eaten up to and including the
// first newline, and the YAML decoder starts at the first non-space rune. A read that meets
// the end of the stream, or a rune that is not UTF-8, leaves no YAML decoder (false).
func yamlStartAfterJSON(text string, from int) (int, bool) {
	pos := from
	for {
		if len(text)-pos < 4 {
			return 0, false
		}
		r, size := utf8.DecodeRuneInString(text[pos : pos+4])
		if r == utf8.RuneError || size == 0 {
			return 0, false
		}
		if !unicode.IsSpace(r) {
			return pos, true
		}
		pos += size
		if r == '\n' {
			return pos, true
		}
	}
}

// GuessJSONStream: JSON when the first non-space character (within the 4096-byte peek) is "{".
func isJSONStream(text string) bool {
	peek := text
	if len(peek) > 4096 {
		peek = peek[:4096]
	}
	return strings.HasPrefix(strings.TrimLeftFunc(peek, unicode.IsSpace), "{")
}

// jsonDocuments decodes JSON values until the stream ends (nil error) or one fails; it
// returns how much of the text the decoded values consumed, how many there were, and where
// the failure was.
func jsonDocuments(text string, emit func(rawDocument)) (int, int, rawDocument, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	consumed := 0
	for i := 0; ; i++ {
		start := dec.InputOffset()
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			if err == io.EOF {
				return consumed, i, rawDocument{}, nil
			}
			return consumed, i, rawDocument{index: i, line: lineAt(text, int(dec.InputOffset()))}, err
		}
		consumed = int(dec.InputOffset())
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
// firstIndex and lineOffset place a stream that starts part way into the text (after JSON).
func yamlDocuments(text string, firstIndex, lineOffset int, emit func(rawDocument)) (rawDocument, error) {
	reader := bufio.NewReader(strings.NewReader(text))
	var buffer bytes.Buffer
	line, start, index := lineOffset, lineOffset+1, firstIndex
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
