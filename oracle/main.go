// Command oracle answers, with the code the kubelet, containerd and kubectl run, two questions
// azpol's differential tests ask (test/oracle/*.test.ts):
//
//	oracle images      one JSON string per stdin line → one JSON object per stdout line:
//	                   how github.com/distribution/reference ParseNormalizedNamed reads it
//	                   (kubelet pkg/util/parsers.ParseImageName calls exactly this).
//	oracle hclfmt      stdin formatted as terraform fmt formats it (hclfmt.go)
//	oracle manifests F one JSON object per file on stdout: the objects k8s.io/cli-runtime's
//	                   resource builder yields for F, configured as `kubectl apply -f F` does
//	                   (Unstructured, ContinueOnError, Flatten), but local (no API server).
//	oracle folder [-R] D one JSON object: the objects `kubectl apply -f D [-R]` sends, each
//	                   with its source file, in kubectl's order (folder.go).
//
// It is a test oracle only: azpol never ships or runs it.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: oracle images | oracle hclfmt | oracle manifests FILE...")
		os.Exit(2)
	}
	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	switch os.Args[1] {
	case "images":
		in := bufio.NewScanner(os.Stdin)
		in.Buffer(make([]byte, 1<<20), 1<<20)
		for in.Scan() {
			var image string
			if err := json.Unmarshal(in.Bytes(), &image); err != nil {
				fmt.Fprintln(os.Stderr, "oracle: bad input line:", err)
				os.Exit(2)
			}
			must(enc.Encode(parseImage(image)))
		}
		must(in.Err())
	case "hclfmt":
		must(hclFormat())
	case "folder":
		args := os.Args[2:]
		recursive := len(args) > 0 && args[0] == "-R"
		if recursive {
			args = args[1:]
		}
		if len(args) != 1 {
			fmt.Fprintln(os.Stderr, "usage: oracle folder [-R] DIR")
			os.Exit(2)
		}
		must(enc.Encode(readFolder(args[0], recursive)))
	case "manifests":
		for _, file := range os.Args[2:] {
			must(enc.Encode(readManifest(file)))
		}
	default:
		fmt.Fprintln(os.Stderr, "oracle: unknown command", os.Args[1])
		os.Exit(2)
	}
}

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "oracle:", err)
		os.Exit(1)
	}
}
