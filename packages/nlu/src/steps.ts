// Long CPU work (training a model, compiling a bot) written once as a generator that yields at points
// where it may pause, and run either to the end at once (`runSteps`: scripts, tests, the eval command) or
// in slices with turns of the event loop between them (`runStepsSliced`: a server, where a second of
// synchronous training would hold up every request, timer and job lease of the process).

/** Work that yields (nothing) wherever it may pause, and returns its result. */
export type Steps<T> = Generator<void, T, void>;

/** Runs the steps to the end without pausing. */
export function runSteps<T>(steps: Steps<T>): T {
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** The next turn of the event loop, after pending I/O (setImmediate where the runtime has it). */
const nextTurn: () => Promise<void> =
  typeof globalThis.setImmediate === 'function'
    ? () => new Promise((resolve) => globalThis.setImmediate(resolve))
    : () => new Promise((resolve) => setTimeout(resolve, 0));

/**
 * Runs the steps, letting the event loop turn whenever `sliceMs` of them ran without a pause. The result
 * is the same as `runSteps`'s; the work takes a little longer and never holds the loop much past a slice.
 */
export async function runStepsSliced<T>(steps: Steps<T>, sliceMs = 10): Promise<T> {
  let since = performance.now();
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    if (performance.now() - since >= sliceMs) {
      await nextTurn();
      since = performance.now();
    }
  }
}
