// The CLI version, in a module of its own so renderers can name it without importing the program.
export const VERSION = "0.1.0";
