// Confidence calibration and out-of-scope threshold, both fitted on out-of-fold scores of the
// training set so that no hand-picked constant decides what "confident" means.
import type { Steps } from '../steps.ts';

const LOG2E = Math.LOG2E;
const LN2 = Math.LN2;
/** 2^-i for i in [0, 1022]: the integer part of `expNonPositive`'s argument in base 2. */
const NEGATIVE_POWERS_OF_TWO = Float64Array.from({ length: 1023 }, (_, i) => 2 ** -i);

/**
 * e^x for x ≤ 0 within 2e-7 relative error (0 below about e^-708): 2^n from a table times a degree-6
 * Taylor polynomial of e^y, y = (x·log2 e − n)·ln 2 with |y| ≤ ln2 / 2. Classification takes one per
 * class; V8 inlines this, where each `Math.exp` is a call into the runtime (a fifth of `classify`'s
 * time). n is x·log2 e − 0.5 truncated to an int32 (x ≤ 0, so that rounds it): with `Math.round`'s
 * float n, banking77 classified ~10 % slower (both versions in alternating rounds of one process).
 */
export function expNonPositive(x: number): number {
  const t = x * LOG2E;
  if (t < -1022) return 0;
  const n = (t - 0.5) | 0;
  const y = (t - n) * LN2;
  const p = 1 + y * (1 + y * (0.5 + y * (1 / 6 + y * (1 / 24 + y * (1 / 120 + y * (1 / 720))))));
  return p * NEGATIVE_POWERS_OF_TWO[-n]!;
}

export function softmaxInto(
  scores: Float32Array | Float64Array,
  temperature: number,
  out: Float64Array,
): void {
  let max = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < scores.length; k++) if (scores[k]! > max) max = scores[k]!;
  // Classes more than 40 temperatures below the best weigh under e^-40 of it: 0 without calling exp,
  // which is most classes of a confident answer (and most of this function's cost).
  const floor = max - 40 * temperature;
  let sum = 0;
  for (let k = 0; k < scores.length; k++) {
    const s = scores[k]!;
    const e = s > floor ? Math.exp((s - max) / temperature) : 0;
    out[k] = e;
    sum += e;
  }
  const inverse = 1 / sum;
  for (let k = 0; k < scores.length; k++) out[k]! *= inverse;
}

/** Mean negative log-likelihood of the gold classes under softmax(scores / T). */
function nll(scores: Float32Array, classes: number, gold: Int32Array, temperature: number): number {
  let total = 0;
  let n = 0;
  for (let i = 0; i < gold.length; i++) {
    const g = gold[i]!;
    if (g < 0) continue;
    let max = Number.NEGATIVE_INFINITY;
    for (let k = 0; k < classes; k++) max = Math.max(max, scores[i * classes + k]!);
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += Math.exp((scores[i * classes + k]! - max) / temperature);
    total += Math.log(sum) - (scores[i * classes + g]! - max) / temperature;
    n++;
  }
  return n === 0 ? 0 : total / n;
}

/**
 * Temperature scaling (Guo et al. 2017): one scalar, golden-section search over log T. As steps (see
 * steps.ts): it may pause after each pass over the scores.
 */
export function* fitTemperatureSteps(scores: Float32Array, classes: number, gold: Int32Array): Steps<number> {
  let lo = Math.log(0.005);
  let hi = Math.log(10);
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = hi - phi * (hi - lo);
  let b = lo + phi * (hi - lo);
  let fa = nll(scores, classes, gold, Math.exp(a));
  yield;
  let fb = nll(scores, classes, gold, Math.exp(b));
  for (let iter = 0; iter < 25; iter++) {
    yield;
    if (fa < fb) {
      hi = b;
      b = a;
      fb = fa;
      a = hi - phi * (hi - lo);
      fa = nll(scores, classes, gold, Math.exp(a));
    } else {
      lo = a;
      a = b;
      fa = fb;
      b = lo + phi * (hi - lo);
      fb = nll(scores, classes, gold, Math.exp(b));
    }
  }
  return Math.exp((lo + hi) / 2);
}

export interface HeldOutPrediction {
  /** Gold class, or -1 for an out-of-scope example. */
  gold: number;
  /** Predicted in-scope class, or -1 when the explicit out-of-scope class won. */
  predicted: number;
  confidence: number;
}

/**
 * The highest confidence threshold whose in-scope accuracy on held-out predictions is at most
 * `maxInScopeLoss` below the accuracy with no threshold. Raising the threshold only adds rejections,
 * so this is also the threshold with the best out-of-scope recall inside that accuracy budget.
 */
export function fitThreshold(predictions: readonly HeldOutPrediction[], maxInScopeLoss: number): number {
  const correct = predictions.filter((p) => p.gold >= 0 && p.predicted === p.gold);
  const inScope = predictions.filter((p) => p.gold >= 0).length;
  if (inScope === 0 || correct.length === 0) return Number.NEGATIVE_INFINITY;
  const allowed = Math.floor(maxInScopeLoss * inScope);
  const confidences = correct.map((p) => p.confidence).sort((a, b) => a - b);
  // Rejecting the `allowed` least confident correct answers costs exactly the budget.
  if (allowed <= 0) return Number.NEGATIVE_INFINITY;
  const k = Math.min(allowed, confidences.length - 1);
  const lower = confidences[k - 1]!;
  const upper = confidences[k]!;
  return (lower + upper) / 2;
}
