// Text order that is the same on every machine: UTF-16 code units, the order Array.prototype.sort
// gives strings. localeCompare follows the user's locale (under LANG=lt_LT "y" sorts before "j"),
// so two runs of azpol on the same input could print, build or plan in different orders; its
// first call also sets up ICU's collator (about 6 ms of start-up). ESLint forbids it in src/.
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
