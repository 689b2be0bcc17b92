// Long CPU work (training a model, compiling a bot) written once as a generator that yields at points
// where it may pause, and run either to the end at once (`runSteps`: scripts, tests, the eval command) or
// in slices with turns of the event loop between them (`runStepsSliced`: a server, where a second of
// synchronous training would hold up every request, timer and job lease of the process).
//
// A step may yield a promise: "I would rather wait for this" (another compile training the same model).
// Sliced, the driver waits for it; at once, nothing can be waited for, and the work carries on itself.

/** Work that yields wherever it may pause (a promise: what it would wait for), and returns its result. */
export type Steps<T> = Generator<Promise<unknown> | undefined, T, void>;

/** Runs the steps to the end without pausing (a promise a step yields is not waited for). */
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
    if (step.value) {
      // A failure of what the step waited for is the step's to find out, not the driver's.
      await step.value.catch(() => {});
      since = performance.now();
    } else if (performance.now() - since >= sliceMs) {
      await nextTurn();
      since = performance.now();
    }
  }
}
