// deploy --deadline: an overall time budget for a run, as a pipeline step has. Work not started
// when it passes is skipped; work in flight is abandoned (the process exits; ARM may still finish
// a write it received, and a re-run converges on what is left). Each request stays bounded by
// --request-timeout as well.
import { AzureError } from "../errors.js";

export interface Deadline {
  /** the budget has run out */
  expired(): boolean;
  /** `work`, or a DeadlineExceeded AzureError when the budget runs out first */
  race<T>(work: Promise<T>, what: string): Promise<T>;
}

export function deadlineIn(ms: number, label: string, now: () => number = Date.now): Deadline {
  const at = now() + ms;
  // Once a race has lost to the budget, the budget has passed, whatever the clock says: a timer may
  // fire a millisecond before Date.now() reaches `at` (libuv's clock is not the wall clock), and work
  // after an abandoned write must then be skipped, not started.
  let passed = false;
  return {
    expired: () => passed || now() >= at,
    race<T>(work: Promise<T>, what: string): Promise<T> {
      let timer: NodeJS.Timeout | undefined;
      const expiry = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          passed = true;
          reject(new AzureError("DeadlineExceeded", `${what}: ${label} passed; what was in flight may still complete in Azure, so re-run to converge`));
        }, Math.max(0, at - now()));
      });
      return Promise.race([work, expiry]).finally(() => clearTimeout(timer));
    },
  };
}

/** No budget: nothing expires. */
export const NO_DEADLINE: Deadline = { expired: () => false, race: (work) => work };
