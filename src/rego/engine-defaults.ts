// The bounds an engine starts with when the command line gives none (azpol test's --eval-timeout
// and --eval-memory defaults are these): one place, because the engine started early by the
// published entry (engine-prestart.ts) must have the environment (GOMEMLIMIT) the process's own
// engine would get, or it is not used.
export const DEFAULT_EVAL_TIMEOUT_MS = 10_000;
export const DEFAULT_MEMORY_LIMIT_MIB = 2048;
