export { type CommandIo, runEvalCommand } from './command.ts';
export { DatasetError, parseJsonl, readJsonl, templateExamples } from './dataset.ts';
export {
  countDialectLines,
  type EvaluationReport,
  evaluateModel,
  measureThroughput,
  trainAndEvaluate,
} from './evaluate.ts';
export { type ClassificationReport, type LabelMetrics, scoreClassification } from './metrics.ts';
export {
  buildOutOfScopeSplit,
  formatOutOfScopeReport,
  measureOutOfScope,
  type OutOfScopeReport,
  type OutOfScopeSplit,
  type OutOfScopeSplitOptions,
} from './out-of-scope.ts';
