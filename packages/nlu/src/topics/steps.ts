// Long computations written once as generators that yield at safe points, run either straight through
// (tests, benches) or handing the event loop back at each point (the server, whose inbound path and live
// calls share the loop with a report being mined).
export type Steps<T> = Generator<void, T, void>;

export function runSteps<T>(steps: Steps<T>): T {
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/** Runs the steps, awaiting `pause` whenever `sliceMs` have passed since the last pause. */
export async function runStepsAsync<T>(
  steps: Steps<T>,
  pause: () => Promise<void>,
  sliceMs = 20,
): Promise<T> {
  let since = performance.now();
  let step = steps.next();
  while (!step.done) {
    if (performance.now() - since >= sliceMs) {
      await pause();
      since = performance.now();
    }
    step = steps.next();
  }
  return step.value;
}
