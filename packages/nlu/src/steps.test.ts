// Work written as steps runs to the same result at once or in slices, and in slices the event loop turns.
import { describe, expect, it } from 'vitest';
import { trainIntentModel, trainIntentModelSliced } from './intent/model.ts';
import { runSteps, runStepsSliced, type Steps } from './steps.ts';

/** Busy work of `total` ms of CPU in steps of about 1 ms, returning how many steps ran. */
function* busy(total: number): Steps<number> {
  let steps = 0;
  const end = performance.now() + total;
  while (performance.now() < end) {
    const stepEnd = performance.now() + 1;
    while (performance.now() < stepEnd) {
      // spin
    }
    steps++;
    yield;
  }
  return steps;
}

/** How many times a 0 ms timer fired while `work` ran. */
async function timerTurnsDuring(work: () => Promise<unknown>): Promise<number> {
  let turns = 0;
  const timer = setInterval(() => turns++, 0);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return turns;
}

describe('steps', () => {
  it('runs to the end at once, with no turn of the event loop', async () => {
    expect(await timerTurnsDuring(async () => expect(runSteps(busy(60))).toBeGreaterThan(10))).toBe(0);
  });

  it('runs in slices, letting timers fire between them', async () => {
    let steps = 0;
    const turns = await timerTurnsDuring(async () => {
      steps = await runStepsSliced(busy(120), 10);
    });
    expect(steps).toBeGreaterThan(10);
    // ~12 slices of 10 ms; on a loaded machine fewer, never none.
    expect(turns).toBeGreaterThanOrEqual(3);
  });

  it('waits for a promise a step yields when sliced, and not when run at once', async () => {
    let settled = false;
    const later = new Promise<void>((resolve) =>
      setTimeout(() => {
        settled = true;
        resolve();
      }, 20),
    );
    function* waiting(): Steps<boolean> {
      yield later;
      return settled;
    }
    expect(runSteps(waiting())).toBe(false);
    expect(await runStepsSliced(waiting())).toBe(true);
    // What the step waited for failing is the step's business: the driver goes on.
    function* waitingOnFailure(): Steps<string> {
      yield Promise.reject(new Error('the other compile failed'));
      return 'went on';
    }
    expect(await runStepsSliced(waitingOnFailure())).toBe('went on');
  });

  it('passes on an error thrown by a step', async () => {
    function* failing(): Steps<number> {
      yield;
      throw new Error('step failed');
    }
    expect(() => runSteps(failing())).toThrow('step failed');
    await expect(runStepsSliced(failing())).rejects.toThrow('step failed');
  });
});

describe('training in slices', () => {
  // Enough lines for a few hundred milliseconds of training: two intents told apart by their words.
  const examples = Array.from({ length: 3000 }, (_, i) => {
    const label = ['refund', 'shipping', 'invoice'][i % 3]!;
    const words = {
      refund: ['退款', '退货', '钱退回', 'refund'],
      shipping: ['发货', '快递', '物流', 'shipping'],
      invoice: ['发票', '开票', '税号', 'invoice'],
    }[label as 'refund']!;
    return { text: `订单${i}的${words[i % 4]}问题 ${i % 7} ${words[(i >> 2) % 4]}`, label };
  });

  it('trains the same model as training at once, and lets the event loop turn meanwhile', async () => {
    const atOnce = trainIntentModel(examples);
    let sliced: Awaited<ReturnType<typeof trainIntentModelSliced>> | undefined;
    const turns = await timerTurnsDuring(async () => {
      sliced = await trainIntentModelSliced(examples, {}, 1);
    });
    expect(sliced?.toJSON()).toEqual(atOnce.toJSON());
    expect(turns).toBeGreaterThanOrEqual(3);
  });
});
