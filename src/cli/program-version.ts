// The CLI version (src/model/azpol-version.ts), named here for the renderers and the program.
export { VERSION } from "../model/azpol-version.js";
