// azpol's version, on the ground floor: saved plans and reports record it, and the CLI prints it.
export const VERSION = "0.1.0";
