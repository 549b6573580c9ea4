package main

// Speculative compiles (op "precompile"). The CLI sends the templates a project compiled on its
// last run as soon as the engine process starts, so their compilation overlaps with the CLI
// loading its own code and reading the definitions. A later "compile" with the same rego, libs
// and version takes that result instead of compiling again. Compile's output depends on those
// three inputs only (engine.go), so the reuse is exact: a template that changed since is a miss
// and compiles as before, and a failed speculative compile answers with the same error a normal
// compile would give. Each result is claimed once; unclaimed ones are bounded and cost only memory.

import (
	"crypto/sha256"
	"encoding/binary"
	"sync"
)

// maxSpeculative bounds the templates compiled ahead of time (a project has a handful).
const maxSpeculative = 32

type speculativeCompile struct {
	done     chan struct{}
	template *Template
	err      error
}

var speculative = struct {
	sync.Mutex
	pending map[[32]byte]*speculativeCompile
	started int
}{pending: map[[32]byte]*speculativeCompile{}}

// compileKey identifies a compile request by everything Compile reads, each part length-prefixed
// so that no two different requests share a key.
func compileKey(req CompileRequest) [32]byte {
	h := sha256.New()
	part := func(s string) {
		var n [8]byte
		binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
		h.Write(n[:])
		h.Write([]byte(s))
	}
	part(regoVersion(req.Version).String())
	part(req.Rego)
	var count [8]byte
	binary.LittleEndian.PutUint64(count[:], uint64(len(req.Libs)))
	h.Write(count[:])
	for _, lib := range req.Libs {
		part(lib)
	}
	var key [32]byte
	copy(key[:], h.Sum(nil))
	return key
}

// precompile starts compiling each request not already started; it returns how many it started.
func precompile(reqs []CompileRequest) int {
	started := 0
	for _, req := range reqs {
		key := compileKey(req)
		speculative.Lock()
		_, known := speculative.pending[key]
		if known || speculative.started >= maxSpeculative {
			speculative.Unlock()
			continue
		}
		job := &speculativeCompile{done: make(chan struct{})}
		speculative.pending[key] = job
		speculative.started++
		speculative.Unlock()
		started++
		go func(req CompileRequest) {
			job.template, job.err = Compile(req)
			close(job.done)
		}(req)
	}
	return started
}

// claimPrecompiled returns the speculative result for req (waiting for it if it is still being
// compiled) and forgets it; ok is false when req was not compiled ahead of time.
func claimPrecompiled(req CompileRequest) (t *Template, ok bool, err error) {
	key := compileKey(req)
	speculative.Lock()
	job, ok := speculative.pending[key]
	if ok {
		delete(speculative.pending, key)
	}
	speculative.Unlock()
	if !ok {
		return nil, false, nil
	}
	<-job.done
	return job.template, true, job.err
}
