// The native engine's environment: azpol's own, plus how its Go runtime collects garbage.
//   - GOGC=400 unless the user set GOGC: OPA allocates heavily and most of it dies with each
//     evaluation, so collecting at 4x the live heap instead of 2x cuts the GC's share. The engine
//     sets the same itself (engine/main_native.go), but only once main() runs: given here, it also
//     covers the Go packages' initialisation before main (~8 MB in ~40 ms; with GOGC=400 from the
//     start, GODEBUG=inittrace=1 measured 28-38 ms instead of 42-43).
//   - GOMEMLIMIT at 80% of --eval-memory, unless the user set one: Go's GC aims to stay under it,
//     and the transport's watchdog is the hard stop.
export function engineEnv(env: NodeJS.ProcessEnv, memoryLimitMiB?: number): NodeJS.ProcessEnv {
  return {
    ...env,
    ...(env.GOGC ? {} : { GOGC: "400" }),
    ...(memoryLimitMiB && !env.GOMEMLIMIT ? { GOMEMLIMIT: `${Math.floor(memoryLimitMiB * 0.8)}MiB` } : {}),
  };
}
