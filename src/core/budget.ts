import { errors } from './errors';

/**
 * The one bound on the work a request makes the core do (architecture.md, "Budgets"): reading the
 * ics, its time zones and every recurrence it expands. Each loop spends one step per thing it
 * visits (a period of a rule, a day, a candidate time, an onset of a time zone, a value of a
 * list), so the limit lives here and nothing in the core loops without asking it. A budget spent
 * is a 400 that says which work was too much; the size is chosen so that a full budget is well
 * under a second of CPU on the machine the mock is measured on (README, "Limits").
 */
export class Budget {
  private left: number;

  constructor(readonly steps: number) {
    this.left = steps;
  }

  /** Spends `n` steps on `what` (e.g. "expanding the RRULE"), or throws the 400 when none are left. */
  spend(n: number, what: () => string): void {
    this.left -= n;
    if (this.left < 0) {
      throw errors.invalidIcs(
        `The ics needs more than ${this.steps.toLocaleString('en-US')} steps of work (the limit of one request) ` +
          `for ${what()}; use a coarser FREQ, fewer BY values, a smaller COUNT or fewer values.`,
      );
    }
  }

  /** Steps spent so far. */
  get spent(): number {
    return this.steps - this.left;
  }
}
