// Every trackit/* message and type, mirroring sidecar/trackit_sidecar/protocol.py.
// Field names are snake_case on the wire (the same JSON is the public `trackit lineage --json` format).
// The *_FIELDS lists are runtime copies of each interface's keys: the compiler checks each list against
// its interface (exactly, both ways), and the contract test checks each list against the pydantic model.

export const PROTOCOL_VERSION = 1;
export const LINEAGE_FORMAT = "trackit.lineage/1";

export const Methods = {
  // client -> server notifications
  CELL_EXECUTED: "trackit/cellExecuted",
  SET_CONFIG: "trackit/setConfig",
  NOTEBOOK_KERNEL: "trackit/notebookKernel",
  NOTEBOOK_SOURCES: "trackit/notebookSources",
  // client -> server requests
  LINEAGE: "trackit/lineage",
  CELL_ANNOTATION: "trackit/cellAnnotation",
  CELL_HISTORY: "trackit/cellHistory",
  SUMMARIZE: "trackit/summarize",
  PREVIEW_PROMPT: "trackit/previewPrompt",
  STATUS: "trackit/status",
  EXPERIMENTS: "trackit/experiments",
  EXPERIMENT: "trackit/experiment",
  MARK_EXPERIMENT: "trackit/markExperiment",
  NAME_EXPERIMENT: "trackit/nameExperiment",
  REPARENT_EXPERIMENT: "trackit/reparentExperiment",
  EXPORT_EXPERIMENT: "trackit/exportExperiment",
  GATHER: "trackit/gather",
  VERIFY: "trackit/verify",
  DIFF: "trackit/diff",
  HYPOTHESES: "trackit/hypotheses",
  ADD_HYPOTHESIS: "trackit/addHypothesis",
  LINK_HYPOTHESIS: "trackit/linkHypothesis",
  SET_HYPOTHESIS_STATUS: "trackit/setHypothesisStatus",
  SET_HYPOTHESIS_THRESHOLDS: "trackit/setHypothesisThresholds",
  ASK: "trackit/ask",
  PROVENANCE: "trackit/provenance",
  // server -> client notifications
  LINEAGE_CHANGED: "trackit/lineageChanged",
  DATABASE_ERROR: "trackit/databaseError",
} as const;

export const EXECUTION_STATUSES = ["ok", "error", "cancelled"] as const;
export type ExecutionStatus = (typeof EXECUTION_STATUSES)[number];

export const PROVIDER_NAMES = ["builtin", "bedrock", "ollama", "openai"] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

export const STEP_OPS = [
  "load", "filter_rows", "select_columns", "drop_columns", "impute_missing",
  "drop_missing", "drop_duplicates", "rename", "type_cast", "encode_categorical",
  "scale_normalize", "derive_feature", "aggregate", "join", "concat", "reshape",
  "sort", "sample", "split", "datetime_parse", "text_clean", "outlier_remove",
  "fit_model", "predict", "evaluate", "other",
] as const;
export type StepOp = (typeof STEP_OPS)[number];

/** What a code name is bound by: import, def or class (ExecutionRecord.code_names). */
export const CODE_KINDS = ["module", "function", "class"] as const;
export type CodeKind = (typeof CODE_KINDS)[number];

/** Why an execution is stale: its cell was edited since it ran, or it used a stale execution's result. */
export const STALE_REASONS = ["edited", "upstream"] as const;
export type StaleReason = (typeof STALE_REASONS)[number];

export const OUTPUT_TYPES = ["stream", "execute_result", "display_data", "error"] as const;
export type OutputType = (typeof OUTPUT_TYPES)[number];

export const DB_MODES = ["owner", "spool", "memory"] as const;
export type DbMode = (typeof DB_MODES)[number];
export const DECIDERS = ["static", "runtime"] as const;
export type DecidedBy = (typeof DECIDERS)[number];
/** Where a runtime fact comes from: the live kernel, or a notebook file's saved outputs (`trackit analyze`). */
export const RUNTIME_SOURCES = ["kernel", "saved_output"] as const;
export type RuntimeSource = (typeof RUNTIME_SOURCES)[number];
/** The axis a rename of no column names (`df.index.name = "k"`, `rename_axis`). */
export const AXES = ["index", "columns"] as const;
export type Axis = (typeof AXES)[number];
/** A random draw's place in its statement: the whole value it assigns, or part of it (`y_true + np.random.normal(...)`). */
export const RANDOM_DRAW_FORMS = ["whole", "part"] as const;
export type RandomDrawForm = (typeof RANDOM_DRAW_FORMS)[number];

// What became of an execution's runtime facts, and why the kernel asked was the notebook's (protocol.py).
export const RUNTIME_STATUSES = ["captured", "kernel_not_identified", "kernel_unreachable", "not_python", "off", "editor_closed"] as const;
export type RuntimeStatus = (typeof RUNTIME_STATUSES)[number];
export const KERNEL_EVIDENCE = ["announced", "notebook_file", "started"] as const;
export type KernelEvidence = (typeof KERNEL_EVIDENCE)[number];

export const EXPERIMENT_FORMAT = "trackit.experiment/1";
export const METRIC_DIRECTIONS = ["higher", "lower", "unknown"] as const;
export type MetricDirection = (typeof METRIC_DIRECTIONS)[number];
export const EXPERIMENT_STATUSES = ["ok", "failed"] as const;
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];
export const EXPERIMENT_ORIGINS = ["auto", "manual"] as const;
export type ExperimentOrigin = (typeof EXPERIMENT_ORIGINS)[number];
export const FEATURE_CHANGE_KINDS = ["added", "removed", "changed"] as const;
export type FeatureChangeKind = (typeof FEATURE_CHANGE_KINDS)[number];
export const UNSET_MEANINGS = ["default", "another_class"] as const;
export type UnsetMeaning = (typeof UNSET_MEANINGS)[number];
export const EXPORT_FORMATS = ["mtrack", "json"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
export const FRAME_ROLES = ["load", "split", "fit", "metric"] as const;
export type FrameRole = (typeof FRAME_ROLES)[number];
export const MODEL_SOURCES = ["kernel", "static"] as const;
export type ModelSource = (typeof MODEL_SOURCES)[number];

// compare (diff, hypotheses, ask): see protocol.py
export const DIFF_FORMAT = "trackit.diff/1";
export const DIFF_SIDE_KINDS = ["experiment", "run"] as const;
export type DiffSideKind = (typeof DIFF_SIDE_KINDS)[number];
export const DIVERGENCE_KINDS = ["data", "decision", "model", "only_a", "only_b"] as const;
export type DivergenceKind = (typeof DIVERGENCE_KINDS)[number];
export const CAUSE_KINDS = [
  "feature", "code", "cell_only_a", "cell_only_b", "data", "seed", "package", "environment", "unknown",
] as const;
export type CauseKind = (typeof CAUSE_KINDS)[number];
export const CODE_CHANGE_KINDS = ["changed", "only_a", "only_b"] as const;
export type CodeChangeKind = (typeof CODE_CHANGE_KINDS)[number];
export const BETTER = ["a", "b", "same"] as const;
export type Better = (typeof BETTER)[number];
export const NOISE_SOURCES = ["std", "repeats"] as const;
export type NoiseSource = (typeof NOISE_SOURCES)[number];
export const HYPOTHESIS_STATUSES = ["proposed", "testing", "supported", "refuted", "inconclusive"] as const;
export type HypothesisStatus = (typeof HYPOTHESIS_STATUSES)[number];
export const CONFIDENCES = ["high", "medium", "low"] as const;
export type Confidence = (typeof CONFIDENCES)[number];
export const VERDICTS = ["supports", "refutes", "neutral"] as const;
export type Verdict = (typeof VERDICTS)[number];
export const CONFIDENCE_REASONS = [
  "failed_run", "dirty_worktree", "seeds_differ", "no_seed", "within_noise", "beyond_noise", "repeated",
  "single_evaluation", "several_changes",
] as const;
export type ConfidenceReason = (typeof CONFIDENCE_REASONS)[number];
export const NO_EVIDENCE = ["metric_missing", "baseline_metric_missing", "no_baseline", "experiment_missing"] as const;
export type NoEvidence = (typeof NO_EVIDENCE)[number];
export const ASK_INTENTS = [
  "diff", "why_metric", "experiments_using_data", "experiments_using_column", "variable_origin", "column_steps",
  "dirty_runs", "best_experiment", "list_experiments", "hypotheses", "unknown",
] as const;
export type AskIntent = (typeof ASK_INTENTS)[number];
export const CITATION_KINDS = ["experiment", "cell", "step", "dataset", "run"] as const;
export type CitationKind = (typeof CITATION_KINDS)[number];

/** Compile-time check that a field list names exactly the keys of T (no missing, no extra). */
type ExactKeys<T, L extends readonly (keyof T)[]> = Exclude<keyof T, L[number]> extends never ? L : never;
function fields<T>() {
  return <const L extends readonly (keyof T)[]>(list: ExactKeys<T, L>): L => list;
}

// ------------------------------------------------------------ cell execution (editor -> sidecar)
export interface CellOutput {
  output_type: OutputType;
  mime: string;
  text?: string | null;
  base64?: string | null;
  size?: number | null;
  sha256?: string | null;
  truncated: boolean;
}
export const CELL_OUTPUT_FIELDS = fields<CellOutput>()([
  "output_type", "mime", "text", "base64", "size", "sha256", "truncated",
]);

export interface CellExecution {
  event_id: string;
  notebook_uri: string;
  notebook_path?: string | null;
  cell_id: string;
  cell_uri?: string | null;
  cell_index: number;
  language: string;
  source: string;
  execution_order?: number | null;
  started_at: number; // epoch ms
  ended_at: number; // epoch ms
  status: ExecutionStatus;
  outputs: CellOutput[];
  error_name?: string | null;
  error_message?: string | null;
  kernel_id?: string | null;
  kernel_name?: string | null;
  kernel_display_name?: string | null;
}
export const CELL_EXECUTION_FIELDS = fields<CellExecution>()([
  "event_id", "notebook_uri", "notebook_path", "cell_id", "cell_uri", "cell_index", "language", "source",
  "execution_order", "started_at", "ended_at", "status", "outputs", "error_name", "error_message",
  "kernel_id", "kernel_name", "kernel_display_name",
]);

/** The editor ties a notebook to the kernel that runs it (a controller told TrackIT). */
export interface NotebookKernel {
  notebook_uri: string;
  notebook_path?: string | null;
  connection_file?: string | null;
  kernel_id?: string | null;
  kernel_name?: string | null;
  kernel_display_name?: string | null;
  language?: string | null;
}
export const NOTEBOOK_KERNEL_FIELDS = fields<NotebookKernel>()([
  "notebook_uri", "notebook_path", "connection_file", "kernel_id", "kernel_name", "kernel_display_name", "language",
]);

/** The notebook's code cells as they are now: sha256 of each cell's text by cell id (never the text). */
export interface NotebookSources {
  notebook_uri: string;
  cell_shas: Record<string, string>;
}
export const NOTEBOOK_SOURCES_FIELDS = fields<NotebookSources>()(["notebook_uri", "cell_shas"]);

export interface SetConfigParams {
  max_text_output_bytes?: number | null;
  runtime_capture?: boolean | null;
  summary_provider?: ProviderName | null;
  provider_options: Record<string, unknown>;
  trusted?: boolean | null;
}
export const SET_CONFIG_PARAMS_FIELDS = fields<SetConfigParams>()([
  "max_text_output_bytes", "runtime_capture", "summary_provider", "provider_options", "trusted",
]);

// ------------------------------------------------------------ lineage (the public JSON format)
export interface RuntimeFacts {
  variable?: string | null;
  kind?: string | null;
  rows_before?: number | null;
  rows_after?: number | null;
  cols_before?: number | null;
  cols_after?: number | null;
  added_columns?: string[];
  removed_columns?: string[];
  dtype_changes?: Record<string, string[]>;
  nulls_before?: number | null;
  nulls_after?: number | null;
  /** Of a frame: missing values by column, only columns that have any ({}: none); absent when not counted by column. */
  column_nulls_before?: Record<string, number> | null;
  column_nulls_after?: Record<string, number> | null;
  fingerprint?: string | null;
  sampled?: boolean;
  /** The cell's displayed result (its last expression's value), not a variable. */
  displayed?: boolean;
  scalar?: boolean | null;
  /** Did the variable change in this execution? null: not known. */
  changed?: boolean | null;
  /** The variable the *_before figures describe when it is not this one (a new or rebound variable). */
  before_variable?: string | null;
  /** "saved_output": read from a notebook file's saved outputs, not measured; absent: the kernel's. */
  source?: RuntimeSource | null;
}
export const RUNTIME_FACTS_FIELDS = fields<RuntimeFacts>()([
  "displayed", "scalar",
  "variable", "kind", "rows_before", "rows_after", "cols_before", "cols_after", "added_columns",
  "removed_columns", "dtype_changes", "nulls_before", "nulls_after", "column_nulls_before", "column_nulls_after",
  "fingerprint", "sampled", "changed", "before_variable", "source",
]);

export interface InputFile {
  path: string;
  size?: number | null;
  mtime?: number | null;
  sha256?: string | null;
  changed_since?: string | null;
  error?: string | null;
}
export const INPUT_FILE_FIELDS = fields<InputFile>()(["path", "size", "mtime", "sha256", "changed_since", "error"]);

export interface StepCondition {
  column?: string | null;
  comparison: string;
  value?: unknown;
  bound?: string | null;
}
export const STEP_CONDITION_FIELDS = fields<StepCondition>()(["column", "comparison", "value", "bound"]);

export interface StepLoop {
  target?: string | null;
  over?: string | null;
}
export const STEP_LOOP_FIELDS = fields<StepLoop>()(["target", "over"]);

export interface FormulaFit {
  function: string;
  formula: string;
  data?: string | null;
}
export const FORMULA_FIT_FIELDS = fields<FormulaFit>()(["function", "formula", "data"]);

export interface Step {
  op: StepOp;
  inputs: string[];
  output?: string | null;
  columns: string[];
  code?: string | null;
  line?: number | null;
  detail?: string | null;
  runtime?: RuntimeFacts | null;
  input_file?: InputFile | null;
  method?: string | null;
  outputs?: string[];
  derived_from?: string[];
  group_keys?: string[];
  statistic?: string | null;
  model?: string | null;
  estimator?: string | null;
  /** A step that applies what an earlier statement learned from data: the variable holding it (a fitted transformer,
   * a statistic bound to a name). */
  learned_by?: string | null;
  /** A transform of an estimator fitted in the same statement: the data it was fitted on. */
  fitted_on?: string[];
  /** A fit whose model is not kept: the method or attribute the same statement reads from it (`.fit(X, y).predict(X)`
   * -> "predict"); `output` is then empty. */
  chained_into?: string | null;
  /** A fit or an evaluation that scores its model on folds of the data it is given (cross_val_score, GridSearchCV). */
  cross_validated?: boolean;
  params?: Record<string, unknown>;
  conditions?: StepCondition[];
  displays_result?: boolean;
  decided_by?: DecidedBy | null;
  /** The op static analysis gave is a guess, and from what (a key of the sidecar's lineage/kb/guesses.py, e.g.
   * "helper_name": `load_data()` judged by its name); absent: asserted. The sidecar's `label` already says so. */
  inferred_from?: string | null;
  /** decided_by "runtime": where the deciding fact came from (the kernel, or the notebook file's saved outputs). */
  runtime_source?: RuntimeSource | null;
  /** decided_by "runtime" with another op: the op static analysis gave (a filter that kept every row). */
  static_op?: StepOp | null;
  /** A row-removing step that kept every row because this cell's earlier run (this seq) had already run it. */
  rerun_of?: number | null;
  /** decided_by "runtime", op "other": the kernel warned its in-place call changed a copy (pandas ChainedAssignmentError). */
  written_to_a_copy?: boolean;
  /** A fill counted by column: the columns it was to fill that kept their missing values, with their counts. */
  gaps_left?: Record<string, number>;
  /** The step is written in the body of this function: done when it is called, not when its cell runs. */
  in_function?: string | null;
  /** What the sidecar's wording reads of the statement (lineage/classify/wording_facts.py): its value names the
   * variable it assigns though no input was read; the columns an `.assign(c=...)` or a whole-column `df["c"] = v`
   * makes (of a prediction: the columns it is written into, `df["y_hat"] = ...`); the axis a rename of no column
   * names, or the literal name it gives the data; the figure a `print(...)` shows; an in-place fill of a column
   * picked by a subscript. */
  reads_output?: boolean;
  assigned_columns?: string[];
  names_axis?: Axis | null;
  named_as?: string | null;
  shown_expression?: string | null;
  in_place_on_pick?: boolean;
  /** A prediction made by a threshold: the inputs it compares (its scores). */
  thresholded?: string[];
  /** The short strings the statement writes as literals (columns it names where no op recorded them). */
  quoted?: string[];
  /** An evaluation computed from the test target alone (its majority class's share): a baseline, no model's. */
  majority_baseline?: boolean;
  /** A load of values drawn at random: "whole" when the draw is what the statement assigns, "part" when part of it. */
  random_draw?: RandomDrawForm | null;
  /** The matrix product the step's value is, as written (`np.dot(X.T, X)`): a new array. */
  matrix_product?: string | null;
  /** The step's call reduces each row (`df.sum(axis=1)`). */
  row_wise?: boolean;
  /** A load of a data set a library packages: its name and the library (`load_iris()`: "iris", "scikit-learn"). */
  packaged_data_set?: string | null;
  packaged_by?: string | null;
  /** The loops the statement runs in, outermost first (`for col in cols:`: target "col", over "cols"; a `while`
   * loop has neither). */
  loops?: StepLoop[];
  /** A fit written as one formula call (`smf.ols('y ~ x', data=df)`): its function, formula and table. */
  formula_fit?: FormulaFit | null;
  /** This step in one line, rendered by the sidecar (the tree shows it as is). */
  label?: string | null;
}
export const STEP_FIELDS = fields<Step>()([
  "op", "inputs", "output", "columns", "code", "line", "detail", "runtime", "input_file", "method", "outputs",
  "derived_from", "group_keys", "statistic", "model", "estimator", "learned_by", "fitted_on", "chained_into",
  "cross_validated", "params", "conditions", "displays_result", "decided_by", "inferred_from",
  "runtime_source", "static_op", "rerun_of", "written_to_a_copy", "gaps_left", "in_function", "reads_output",
  "assigned_columns", "names_axis", "named_as", "shown_expression", "in_place_on_pick", "thresholded", "quoted",
  "majority_baseline", "random_draw", "matrix_product", "row_wise", "packaged_data_set", "packaged_by", "loops",
  "formula_fit", "label",
]);

export interface OutputInfo {
  output_type: string;
  mime: string;
  size: number;
  sha256: string;
  truncated?: boolean;
  text?: string | null;
}
export const OUTPUT_INFO_FIELDS = fields<OutputInfo>()(["output_type", "mime", "size", "sha256", "truncated", "text"]);

export interface ErrorInfo {
  name?: string | null;
  message?: string | null;
}
export const ERROR_INFO_FIELDS = fields<ErrorInfo>()(["name", "message"]);

/** On the wire (`trackit/lineage` answers) every field at its default is left out (protocol.py,
 * record_on_the_wire): the optional fields here, nested ones too, and those RECORD_DEFAULTS / STEP_DEFAULTS name,
 * which normalizeLineage (views/lineageWire.ts) fills in before anything reads them. */
/** A file a cell's code writes (saving is no step): the path as written, from which variable, by which call. */
export interface FileWritten {
  path: string;
  literal?: boolean;
  source?: string | null;
  whole?: boolean;
  call: string;
  line: number;
  in_loop?: boolean;
}
export const FILE_WRITTEN_FIELDS = fields<FileWritten>()(["path", "literal", "source", "whole", "call", "line", "in_loop"]);

export interface ExecutionRecord {
  seq: number;
  session: number;
  cell_id: string;
  cell_index: number;
  execution_count?: number | null;
  status: ExecutionStatus;
  started_at: string; // ISO 8601 UTC
  ended_at: string;
  duration_ms: number;
  language?: string; // absent: "python"
  source: string;
  source_sha256: string;
  reads: string[];
  writes: string[];
  derivations: Record<string, string[]>;
  parents: number[];
  analysis_error?: string | null;
  steps: Step[];
  outputs: OutputInfo[];
  error?: ErrorInfo | null;
  runtime: RuntimeFacts[];
  input_files: InputFile[];
  /** The files its code writes outside function bodies, in order (a failed run's may not have been written). */
  files_written?: FileWritten[];
  runtime_status?: RuntimeStatus | null;
  runtime_evidence?: KernelEvidence | null;
  /** Rendered by the sidecar: "[3] Cell 5". */
  label?: string | null;
  /** Rendered by the sidecar: "ok · 12 ms" | "error: KeyError" | "cancelled · 3 ms". */
  description?: string | null;
  /** Rendered by the sidecar: what the steps did, one line per group (as the hover says it). */
  step_lines?: string[];
  /** Rendered by the sidecar: why this run has no runtime facts, when its session does not already say so. */
  runtime_note?: string | null;
  /** name read -> seq of the execution whose value it read */
  read_from: Record<string, number>;
  /** reads and writes that are code, not data (imports, functions, classes) */
  code_names: Record<string, CodeKind>;
  /** failed or cancelled runs: the names the kernel saw change before the run stopped; null when unknown or ok */
  applied_writes?: string[] | null;
  /** that, in words, as the sidecar says it */
  outcome?: string | null;
  /** the code that produced this run's result has changed since; null: not stale, or not known */
  stale?: StaleReason | null;
  /** seqs of the edited executions it comes from */
  stale_because: number[];
}
export const EXECUTION_RECORD_FIELDS = fields<ExecutionRecord>()([
  "seq", "session", "cell_id", "cell_index", "execution_count", "status", "started_at", "ended_at",
  "duration_ms", "language", "source", "source_sha256", "reads", "writes", "derivations", "parents",
  "analysis_error", "steps", "outputs", "error", "runtime", "input_files", "files_written", "runtime_status",
  "runtime_evidence",
  "label", "description", "step_lines", "runtime_note",
  "read_from", "code_names", "applied_writes", "outcome", "stale", "stale_because",
]);
/** What a record's absent list and map fields are (their defaults in protocol.py); normalizeLineage fills them in.
 * The contract test holds these to protocol.py's defaults. */
export const RECORD_DEFAULTS = {
  reads: [], writes: [], derivations: {}, parents: [], read_from: {}, code_names: {}, steps: [], outputs: [],
  runtime: [], input_files: [], step_lines: [], stale_because: [],
} as const;
/** The same for a step's. */
export const STEP_DEFAULTS = { inputs: [], columns: [] } as const;

export interface SessionInfo {
  id: number;
  started_at: string;
  ended_at?: string | null;
  kernel_name?: string | null;
  kernel_display_name?: string | null;
  executions: number;
  runtime_status?: RuntimeStatus | null;
  stamp?: RunStamp | null; // the run's reproducibility stamp, once taken
  /** Rendered by the sidecar: the kernelspec that ran, "Python 3 (ipykernel) [python3]". */
  kernel_label?: string | null;
  /** Rendered by the sidecar: why no run of the session has runtime facts (said once, for all of them). */
  runtime_note?: string | null;
}
export const SESSION_INFO_FIELDS = fields<SessionInfo>()([
  "id", "started_at", "ended_at", "kernel_name", "kernel_display_name", "executions", "runtime_status", "stamp",
  "kernel_label", "runtime_note",
]);

export interface LineageDocument {
  format: string;
  notebook: string;
  notebook_uri: string;
  sessions: SessionInfo[];
  executions: ExecutionRecord[];
  experiments: ExperimentSummary[];
  latest_seq?: number | null; // the notebook's newest seq when the document was made (a window may end before)
}
export const LINEAGE_DOCUMENT_FIELDS = fields<LineageDocument>()([
  "format", "notebook", "notebook_uri", "sessions", "executions", "experiments", "latest_seq",
]);

/** The record fields a whole document read from the sidecar's ready rows sends once per distinct set (protocol.py
 * SHARED_FIELDS: what analysing a cell's code gives, repeated by every run of it); the contract test holds the two. */
export const SHARED_FIELDS = ["reads", "writes", "derivations", "code_names", "steps", "step_lines"] as const;
export type SharedField = (typeof SHARED_FIELDS)[number];
/** A `trackit/lineage` answer as sent: its records' SHARED_FIELDS may be in `shared_parts` (each distinct set once),
 * a record naming its entry in `shared_part`. normalizeLineage (views/lineageWire.ts) puts them back, as
 * protocol.with_shared_parts does in Python; nothing else reads an answer before it. */
export interface LineageDocumentOnTheWire extends Omit<LineageDocument, "executions"> {
  shared_parts?: Partial<Pick<ExecutionRecord, SharedField>>[];
  executions: ExecutionRecordOnTheWire[];
}
export interface ExecutionRecordOnTheWire extends Omit<ExecutionRecord, SharedField>, Partial<Pick<ExecutionRecord, SharedField>> {
  shared_part?: number;
}

// ------------------------------------------------------------ requests and answers
export interface NotebookParams {
  notebook_uri: string;
}
export const NOTEBOOK_PARAMS_FIELDS = fields<NotebookParams>()(["notebook_uri"]);

export interface LineageParams extends NotebookParams {
  include_source?: boolean;
  include_experiments?: boolean; // experiments[] costs a derivation per experiment: off unless asked
  // a window of executions (every session is still described): one session, the latest one, those after a seq
  session?: number | null;
  latest_session?: boolean;
  after_seq?: number | null;
}
export const LINEAGE_PARAMS_FIELDS = fields<LineageParams>()([
  "notebook_uri", "include_source", "include_experiments", "session", "latest_session", "after_seq",
]);

export interface CellAnnotationParams extends NotebookParams {
  cell_id: string;
}
export const CELL_ANNOTATION_PARAMS_FIELDS = fields<CellAnnotationParams>()(["notebook_uri", "cell_id"]);

export interface CellRef {
  seq: number;
  cell_id: string;
  cell_index: number;
  execution_count?: number | null;
}
export const CELL_REF_FIELDS = fields<CellRef>()(["seq", "cell_id", "cell_index", "execution_count"]);

export interface CellAnnotation {
  cell_id: string;
  run_count: number;
  last_run_at?: string | null;
  last_status?: ExecutionStatus | null;
  last_duration_ms?: number | null;
  last_execution_count?: number | null;
  /** the latest run: what "as of this cell" means (the graph's ProvenanceParams.seq) */
  last_seq?: number | null;
  reads: string[];
  writes: string[];
  upstream: CellRef[];
  downstream: CellRef[];
  steps: Step[];
  /** the latest run's (see ExecutionRecord.stale) */
  stale?: StaleReason | null;
  /** the session's problems about the latest run (the summary's Problems), each a sentence naming the other cells it
   * involves; also in `markdown` */
  problems: string[];
  markdown: string;
}
export const CELL_ANNOTATION_FIELDS = fields<CellAnnotation>()([
  "cell_id", "run_count", "last_run_at", "last_status", "last_duration_ms", "last_execution_count", "last_seq",
  "reads", "writes", "upstream", "downstream", "steps", "stale", "problems", "markdown",
]);

export interface CellHistoryParams extends NotebookParams {
  cell_id?: string | null;
}
export const CELL_HISTORY_PARAMS_FIELDS = fields<CellHistoryParams>()(["notebook_uri", "cell_id"]);

export interface CellVersion {
  cell_id: string;
  source_sha256: string;
  source: string;
  first_run_at: string;
  last_run_at: string;
  runs: number;
  statuses: Record<string, number>;
  cell_index?: number | null; // where the cell was at this version's latest run
  diff?: string | null; // unified diff against the version before it (null for the first)
  facts?: string[]; // rendered: what its latest run wrote, "`df`: 889 rows × 12 columns"
}
export const CELL_VERSION_FIELDS = fields<CellVersion>()([
  "cell_id", "source_sha256", "source", "first_run_at", "last_run_at", "runs", "statuses", "cell_index", "diff", "facts",
]);

export interface CellHistory {
  notebook_uri: string;
  versions: CellVersion[];
}
export const CELL_HISTORY_FIELDS = fields<CellHistory>()(["notebook_uri", "versions"]);

export interface SummarizeParams extends NotebookParams {
  provider?: ProviderName | null;
  regenerate?: boolean;
}
export const SUMMARIZE_PARAMS_FIELDS = fields<SummarizeParams>()(["notebook_uri", "provider", "regenerate"]);

/** A citation as the summary wrote it ("[cells 2, 5]") and the recorded cells it names. */
export interface SummaryCitation {
  text: string;
  cells: CellRef[];
}
export const SUMMARY_CITATION_FIELDS = fields<SummaryCitation>()(["text", "cells"]);

export interface SummaryResult {
  notebook_uri: string;
  markdown: string;
  provider: string;
  model?: string | null;
  created_at: string;
  prompt_sha256?: string | null;
  cached: boolean;
  warnings: string[];
  citations?: SummaryCitation[]; // where each "[cell 3]" points
}
export const SUMMARY_RESULT_FIELDS = fields<SummaryResult>()([
  "notebook_uri", "markdown", "provider", "model", "created_at", "prompt_sha256", "cached", "warnings", "citations",
]);

export interface PreviewPromptParams extends NotebookParams {
  provider?: ProviderName | null;
}
export const PREVIEW_PROMPT_PARAMS_FIELDS = fields<PreviewPromptParams>()(["notebook_uri", "provider"]);

export interface PromptPreview {
  notebook_uri: string;
  provider: string;
  prompt: string;
}
export const PROMPT_PREVIEW_FIELDS = fields<PromptPreview>()(["notebook_uri", "provider", "prompt"]);

export interface StatusResult {
  version: string;
  protocol_version: number;
  db_path: string;
  db_mode: DbMode;
  lock_holder?: string | null;
  executions_stored: number;
}
export const STATUS_RESULT_FIELDS = fields<StatusResult>()([
  "version", "protocol_version", "db_path", "db_mode", "lock_holder", "executions_stored",
]);

export interface LineageChanged {
  notebook_uri: string;
  seq: number;
  cell_id?: string | null;
  event_ids: string[];
  // the delta: every execution after `after_seq` up to `seq`, and earlier ones whose record changed (without
  // source); sessions whose description changed. after_seq null/absent: no delta (reload what is shown).
  after_seq?: number | null;
  executions?: ExecutionRecord[];
  sessions?: SessionInfo[];
}
export const LINEAGE_CHANGED_FIELDS = fields<LineageChanged>()([
  "notebook_uri", "seq", "cell_id", "event_ids", "after_seq", "executions", "sessions",
]);

// ------------------------------------------------------------ experiments (every result is an experiment)
export interface Metric {
  name: string;
  value: number;
  source: string; // "kernel" | "execute_result" | "output line 3" | "classification_report (output line 5)"
  direction: MetricDirection;
  raw_name?: string | null;
  std?: number | null;
  n?: number | null;
  unit?: string | null;
}
export const METRIC_FIELDS = fields<Metric>()(["name", "value", "source", "direction", "raw_name", "std", "n", "unit"]);

export interface SeedRecord {
  kind: string;
  value?: unknown;
  call?: string | null;
  seq?: number | null;
  cell_id?: string | null;
  line?: number | null;
}
export const SEED_RECORD_FIELDS = fields<SeedRecord>()(["kind", "value", "call", "seq", "cell_id", "line"]);

export interface SliceEntry {
  seq: number;
  cell_id: string;
  cell_index: number;
  execution_count?: number | null;
  source_sha256: string;
  status: ExecutionStatus;
}
export const SLICE_ENTRY_FIELDS = fields<SliceEntry>()([
  "seq", "cell_id", "cell_index", "execution_count", "source_sha256", "status",
]);

export interface DatasetRevision {
  dataset_id: string;
  revision_id: string;
  sha256: string;
  size?: number | null;
  path: string;
  first_seen_at?: string | null;
  previous_revision_id?: string | null;
}
export const DATASET_REVISION_FIELDS = fields<DatasetRevision>()([
  "dataset_id", "revision_id", "sha256", "size", "path", "first_seen_at", "previous_revision_id",
]);

export interface FrameFingerprint {
  role: FrameRole;
  variable: string;
  dataset_id?: string | null; // for role "load": the dataset it was read from
  seq?: number | null;
  rows?: number | null;
  cols?: number | null;
  fingerprint?: string | null;
}
export const FRAME_FINGERPRINT_FIELDS = fields<FrameFingerprint>()([
  "role", "variable", "dataset_id", "seq", "rows", "cols", "fingerprint",
]);

export interface ModelFingerprint {
  class_name: string;
  library?: string | null;
  variable?: string | null;
  params: Record<string, unknown>;
  state_sha256?: string | null;
  best_params?: Record<string, unknown> | null;
  source: ModelSource;
  last_pass_of_loop: boolean; // fitted last inside a loop: the last pass's fit, one of the loop's
  fitted_before?: InputsWrittenAgain | null; // its training data was written again after the fit
}
export const MODEL_FINGERPRINT_FIELDS = fields<ModelFingerprint>()([
  "class_name", "library", "variable", "params", "state_sha256", "best_params", "source", "last_pass_of_loop",
  "fitted_before",
]);

export interface InputsWrittenAgain {
  variables: string[]; // the fit's inputs written again ("X_train", "y_train")
  fit_seq: number; // the execution that fitted the model last
  seq: number; // the first execution after it that wrote them again
  by_split: boolean; // that execution split the data again
}
export const INPUTS_WRITTEN_AGAIN_FIELDS = fields<InputsWrittenAgain>()(["variables", "fit_seq", "seq", "by_split"]);

export interface FeatureChange {
  path: string;
  change: FeatureChangeKind;
  before?: unknown;
  after?: unknown;
  // a model parameter missing on one side: the class's default (its value on the other side when the kernel read
  // it), or a parameter of the new class after a class change
  unset_means?: UnsetMeaning | null;
  // a run-level diff: the model whose decision this is (each model's experiments paired by cell and class)
  a_experiment?: string | null;
  b_experiment?: string | null;
  model?: string | null;
  cell_index?: number | null;
}
export const FEATURE_CHANGE_FIELDS = fields<FeatureChange>()([
  "path", "change", "before", "after", "unset_means", "a_experiment", "b_experiment", "model", "cell_index",
]);

export interface GitState {
  commit?: string | null;
  branch?: string | null;
  dirty_worktree?: boolean | null;
  changed_files: string[];
  diff_sha256?: string | null;
  error?: string | null;
}
export const GIT_STATE_FIELDS = fields<GitState>()([
  "commit", "branch", "dirty_worktree", "changed_files", "diff_sha256", "error",
]);

export interface RunStamp {
  stamped_at: string;
  python_version?: string | null;
  python_implementation?: string | null;
  executable?: string | null;
  packages: Record<string, string>;
  packages_sha256?: string | null;
  /** Top-level modules whose distribution is named otherwise (`sklearn` -> ["scikit-learn"]). */
  modules: Record<string, string[]>;
  os?: string | null;
  machine?: string | null;
  cpu_count?: number | null;
  memory_bytes?: number | null;
  git?: GitState | null;
  env: Record<string, string>;
  seeds: SeedRecord[];
  errors: string[];
}
export const RUN_STAMP_FIELDS = fields<RunStamp>()([
  "stamped_at", "python_version", "python_implementation", "executable", "packages", "packages_sha256", "modules", "os",
  "machine", "cpu_count", "memory_bytes", "git", "env", "seeds", "errors",
]);

/** A later cell of the experiment's run that only showed a table of what it scored: a second look at its result. */
export interface SecondLook {
  seq: number;
  cell_id: string;
  cell_index: number;
  functions: string[]; // what it showed: ["confusion_matrix"]
}
export const SECOND_LOOK_FIELDS = fields<SecondLook>()(["seq", "cell_id", "cell_index", "functions"]);

export interface ExperimentSummary {
  id: string; // "E0007"
  notebook_uri: string;
  seq: number;
  session: number;
  cell_id: string;
  cell_index: number;
  created_at: string;
  status: ExperimentStatus;
  origin: ExperimentOrigin;
  name?: string | null;
  parent?: string | null;
  parent_set_by_user: boolean;
  primary_metric?: Metric | null;
  changed: string[];
  datasets: string[];
  data_changed: boolean;
  dirty_worktree?: boolean | null;
  config_sha256?: string | null;
  packaged_data_sets?: string[]; // data a library's loader gave: "iris (scikit-learn)"
  also_looked_at?: SecondLook[]; // later cells that only showed a table of its result
}
export const EXPERIMENT_SUMMARY_FIELDS = fields<ExperimentSummary>()([
  "id", "notebook_uri", "seq", "session", "cell_id", "cell_index", "created_at", "status", "origin", "name",
  "parent", "parent_set_by_user", "primary_metric", "changed", "datasets", "data_changed", "dirty_worktree",
  "config_sha256", "packaged_data_sets", "also_looked_at",
]);

export interface Experiment extends ExperimentSummary {
  format: string;
  notes?: string | null;
  metrics: Metric[];
  slice: SliceEntry[];
  features: Record<string, unknown>;
  feature_changes: FeatureChange[];
  data: DatasetRevision[];
  frames: FrameFingerprint[];
  model?: ModelFingerprint | null;
  seeds: SeedRecord[];
  unseeded_draws?: string[] | null; // calls drawing random numbers no seed fixes ([]: none); null: unknown
  stamp?: RunStamp | null;
  intent?: string | null;
}
export const EXPERIMENT_FIELDS = fields<Experiment>()([
  "id", "notebook_uri", "seq", "session", "cell_id", "cell_index", "created_at", "status", "origin", "name",
  "parent", "parent_set_by_user", "primary_metric", "changed", "datasets", "data_changed", "dirty_worktree",
  "config_sha256", "packaged_data_sets", "also_looked_at", "format", "notes", "metrics", "slice", "features", "feature_changes", "data",
  "frames", "model", "seeds", "unseeded_draws", "stamp", "intent",
]);

export type ExperimentsParams = NotebookParams;
export const EXPERIMENTS_PARAMS_FIELDS = fields<ExperimentsParams>()(["notebook_uri"]);

export interface ExperimentList {
  notebook_uri: string;
  experiments: ExperimentSummary[];
}
export const EXPERIMENT_LIST_FIELDS = fields<ExperimentList>()(["notebook_uri", "experiments"]);

export interface ExperimentParams {
  experiment_id: string;
}
export const EXPERIMENT_PARAMS_FIELDS = fields<ExperimentParams>()(["experiment_id"]);

export interface MarkExperimentParams extends NotebookParams {
  cell_id?: string | null; // the cell's latest execution
  seq?: number | null;
  name?: string | null;
}
export const MARK_EXPERIMENT_PARAMS_FIELDS = fields<MarkExperimentParams>()(["notebook_uri", "cell_id", "seq", "name"]);

export interface NameExperimentParams extends ExperimentParams {
  name?: string | null;
  notes?: string | null;
}
export const NAME_EXPERIMENT_PARAMS_FIELDS = fields<NameExperimentParams>()(["experiment_id", "name", "notes"]);

export interface ReparentExperimentParams extends ExperimentParams {
  parent_id?: string | null; // null: make it a root
}
export const REPARENT_EXPERIMENT_PARAMS_FIELDS = fields<ReparentExperimentParams>()(["experiment_id", "parent_id"]);

export interface ExportExperimentParams extends ExperimentParams {
  format: ExportFormat;
  out_dir: string;
  all: boolean; // every experiment of the same notebook
}
export const EXPORT_EXPERIMENT_PARAMS_FIELDS = fields<ExportExperimentParams>()([
  "experiment_id", "format", "out_dir", "all",
]);

export interface ExportResult {
  written: string[];
  unchanged: string[];
  kept: string[]; // already there with other bytes: never overwritten
}
export const EXPORT_RESULT_FIELDS = fields<ExportResult>()(["written", "unchanged", "kept"]);
/** The database stopped taking captures; sent once. The editor offers "Repair database". */
export interface DatabaseError {
  message: string;
  db_path: string;
}
export const DATABASE_ERROR_FIELDS = fields<DatabaseError>()(["message", "db_path"]);

// ---------------------------------------------------------------- reproduce (gather / replay / verify)
/** A variable (its value after run `seq`, default its last successful writer), a whole run (`seq` alone), or an experiment (E####). */
export interface GatherParams extends NotebookParams {
  variable?: string | null;
  seq?: number | null;
  experiment_id?: string | null;
}
export const GATHER_PARAMS_FIELDS = fields<GatherParams>()(["notebook_uri", "variable", "seq", "experiment_id"]);

export interface GatherAnswer {
  notebook_uri: string;
  target: string;
  /** The gathered notebook as nbformat 4 JSON; code cells carry `trackit.origin` metadata. */
  notebook: Record<string, unknown>;
  cells: number;
  cells_in_session: number;
  statements: number;
  statements_in_session: number;
  notes: string[];
}
export const GATHER_ANSWER_FIELDS = fields<GatherAnswer>()([
  "notebook_uri", "target", "notebook", "cells", "cells_in_session", "statements", "statements_in_session", "notes",
]);

export interface VerifyParams extends GatherParams {
  kernel_name?: string | null;
  /** Replay this gathered notebook as is (else the target is gathered first). */
  gathered?: Record<string, unknown> | null;
}
export const VERIFY_PARAMS_FIELDS = fields<VerifyParams>()([
  "notebook_uri", "variable", "seq", "experiment_id", "kernel_name", "gathered",
]);

export interface VerifyCause {
  kind: string;
  text: string;
}
export const VERIFY_CAUSE_FIELDS = fields<VerifyCause>()(["kind", "text"]);

export interface VerifyDivergence {
  gathered_cell: number;
  cell_id: string;
  cell_index: number;
  seq: number;
  step?: number | null;
  variable?: string | null;
  code?: string | null;
  difference?: string | null;
  error?: string | null;
  causes: VerifyCause[];
}
export const VERIFY_DIVERGENCE_FIELDS = fields<VerifyDivergence>()([
  "gathered_cell", "cell_id", "cell_index", "seq", "step", "variable", "code", "difference", "error", "causes",
]);

export interface VerifyResult {
  notebook_uri: string;
  reproduced: boolean;
  message: string;
  steps: number;
  matched: number;
  divergence?: VerifyDivergence | null;
  unverified: string[];
  notes: string[];
  kernel_name?: string | null;
  seconds: number;
}
export const VERIFY_RESULT_FIELDS = fields<VerifyResult>()([
  "notebook_uri", "reproduced", "message", "steps", "matched", "divergence", "unverified", "notes", "kernel_name", "seconds",
]);

export interface DiffSide {
  ref: string; // "E0003" | "run 2"
  kind: DiffSideKind;
  notebook_uri: string;
  session: number;
  seq?: number | null;
  cell_id?: string | null;
  cell_index?: number | null;
  status: ExperimentStatus;
  created_at?: string | null;
  primary_metric?: Metric | null;
  config_sha256?: string | null;
  model_fitted_before?: InputsWrittenAgain | null; // its model was fitted before its training data was written again
  stopped_at_cell_index?: number | null; // a run that ended at this cell's error (0-based): later cells not reached
}
export const DIFF_SIDE_FIELDS = fields<DiffSide>()([
  "ref", "kind", "notebook_uri", "session", "seq", "cell_id", "cell_index", "status", "created_at", "primary_metric",
  "config_sha256", "model_fitted_before", "stopped_at_cell_index",
]);

export interface MetricDelta {
  name: string;
  a?: number | null;
  b?: number | null;
  delta?: number | null; // b - a
  direction: MetricDirection;
  better?: Better | null;
  noise?: number | null;
  noise_source?: NoiseSource | null;
  repeats?: number | null;
  exceeds_noise?: boolean | null;
  // a run-level diff: the experiments (same cell, same model) whose metric this is, the model's class, the cell
  a_experiment?: string | null;
  b_experiment?: string | null;
  model?: string | null;
  cell_index?: number | null; // 0-based
}
export const METRIC_DELTA_FIELDS = fields<MetricDelta>()([
  "name", "a", "b", "delta", "direction", "better", "noise", "noise_source", "repeats", "exceeds_noise",
  "a_experiment", "b_experiment", "model", "cell_index",
]);

export interface StepRef {
  seq: number;
  cell_id: string;
  cell_index: number;
  execution_count?: number | null;
  op?: StepOp | null;
  variable?: string | null;
  step?: Step | null;
  label?: string | null; // rendered by the sidecar
}
export const STEP_REF_FIELDS = fields<StepRef>()([
  "seq", "cell_id", "cell_index", "execution_count", "op", "variable", "step", "label",
]);

export interface FactChange {
  fact: string;
  a?: unknown;
  b?: unknown;
  variables?: string[]; // the variables of the step it was measured on ([] when it is not a variable's)
}
export const FACT_CHANGE_FIELDS = fields<FactChange>()(["fact", "a", "b", "variables"]);

export interface ValueChange {
  name: string;
  a?: unknown;
  b?: unknown;
}
export const VALUE_CHANGE_FIELDS = fields<ValueChange>()(["name", "a", "b"]);

export interface DataChange {
  dataset_id: string;
  a?: string | null;
  b?: string | null;
  sha256_a?: string | null;
  sha256_b?: string | null;
  path_a?: string | null;
  path_b?: string | null;
}
export const DATA_CHANGE_FIELDS = fields<DataChange>()([
  "dataset_id", "a", "b", "sha256_a", "sha256_b", "path_a", "path_b",
]);

export interface CellCodeChange {
  cell_id: string;
  change: CodeChangeKind;
  cell_index_a?: number | null;
  cell_index_b?: number | null;
  sha256_a?: string | null;
  sha256_b?: string | null;
  diff: string; // unified, a -> b
}
export const CELL_CODE_CHANGE_FIELDS = fields<CellCodeChange>()([
  "cell_id", "change", "cell_index_a", "cell_index_b", "sha256_a", "sha256_b", "diff",
]);

export interface Cause {
  kind: CauseKind;
  cell_id?: string | null;
  cell_index?: number | null;
  feature_changes: FeatureChange[];
  diff?: string | null;
  data: DataChange[];
  seeds: ValueChange[];
  packages: ValueChange[];
  environment: ValueChange[];
  stopped_at_cell_index?: number | null; // cell_only_*: the other run stopped at this cell's error before reaching it
  label?: string | null;
}
export const CAUSE_FIELDS = fields<Cause>()([
  "kind", "cell_id", "cell_index", "feature_changes", "diff", "data", "seeds", "packages", "environment",
  "stopped_at_cell_index", "label",
]);

export interface Divergence {
  kind: DivergenceKind;
  a?: StepRef | null;
  b?: StepRef | null;
  differences: FactChange[];
  cause: Cause;
  matched_before: number;
  label?: string | null;
}
export const DIVERGENCE_FIELDS = fields<Divergence>()(["kind", "a", "b", "differences", "cause", "matched_before", "label"]);

export interface ExperimentDiff {
  format: string; // "trackit.diff/1"
  a: DiffSide;
  b: DiffSide;
  metrics: MetricDelta[];
  divergence?: Divergence | null; // null: every step walked agreed
  steps_compared: number;
  measured: boolean;
  feature_changes: FeatureChange[];
  feature_tree: Record<string, unknown>;
  features_not_reached: FeatureChange[]; // set only by cells a stopped run never reached: no decision changed
  code_changes: CellCodeChange[];
  data_changes: DataChange[];
  seed_changes: ValueChange[];
  environment_changes: ValueChange[];
  git_changes: ValueChange[];
  text?: string | null; // the whole diff as `trackit diff` prints it
  model_note?: string | null; // a side's model scored without refitting after its data changed
  other_decisions?: string | null; // the decisions changed besides the cause's: the move is not the cause's alone
}
export const EXPERIMENT_DIFF_FIELDS = fields<ExperimentDiff>()([
  "format", "a", "b", "metrics", "divergence", "steps_compared", "measured", "feature_changes", "feature_tree",
  "features_not_reached", "code_changes", "data_changes", "seed_changes", "environment_changes", "git_changes", "text", "model_note",
  "other_decisions",
]);

export interface DiffParams {
  a: string; // "E0003", or "run 2" with notebook_uri
  b: string;
  notebook_uri?: string | null;
}
export const DIFF_PARAMS_FIELDS = fields<DiffParams>()(["a", "b", "notebook_uri"]);

export interface HypothesisThresholds {
  min_effect: number;
  min_abs_effect?: number | null;
  min_confidence: Confidence;
  min_evidence: number;
}
export const HYPOTHESIS_THRESHOLDS_FIELDS = fields<HypothesisThresholds>()([
  "min_effect", "min_abs_effect", "min_confidence", "min_evidence",
]);

export interface Evidence {
  experiment_id: string;
  metric: string;
  baseline_id?: string | null;
  baseline_value?: number | null;
  value?: number | null;
  delta?: number | null; // signed by direction: > 0 is better
  normalized_delta?: number | null;
  confidence: Confidence;
  reasons: ConfidenceReason[];
  verdict?: Verdict | null;
  missing?: NoEvidence | null;
  decides: boolean;
  label?: string | null;
}
export const EVIDENCE_FIELDS = fields<Evidence>()([
  "experiment_id", "metric", "baseline_id", "baseline_value", "value", "delta", "normalized_delta", "confidence",
  "reasons", "verdict", "missing", "decides", "label",
]);

export interface Hypothesis {
  id: string; // "H0002"
  statement: string;
  metric: string;
  direction: MetricDirection;
  baseline: string;
  thresholds: HypothesisThresholds;
  created_at: string;
  experiments: string[];
  evidence: Evidence[];
  computed_status: HypothesisStatus;
  status: HypothesisStatus;
  status_set_by_user: boolean;
  status_note?: string | null;
  status_set_at?: string | null;
}
export const HYPOTHESIS_FIELDS = fields<Hypothesis>()([
  "id", "statement", "metric", "direction", "baseline", "thresholds", "created_at", "experiments", "evidence",
  "computed_status", "status", "status_set_by_user", "status_note", "status_set_at",
]);

export interface HypothesesParams {
  notebook_uri?: string | null;
}
export const HYPOTHESES_PARAMS_FIELDS = fields<HypothesesParams>()(["notebook_uri"]);

export interface HypothesisList {
  hypotheses: Hypothesis[];
}
export const HYPOTHESIS_LIST_FIELDS = fields<HypothesisList>()(["hypotheses"]);

export interface AddHypothesisParams {
  statement: string;
  metric: string;
  direction?: MetricDirection | null;
  baseline: string;
  thresholds?: HypothesisThresholds | null;
}
export const ADD_HYPOTHESIS_PARAMS_FIELDS = fields<AddHypothesisParams>()([
  "statement", "metric", "direction", "baseline", "thresholds",
]);

export interface HypothesisParams {
  hypothesis_id: string;
}
export const HYPOTHESIS_PARAMS_FIELDS = fields<HypothesisParams>()(["hypothesis_id"]);

export interface LinkHypothesisParams extends HypothesisParams {
  experiment_ids: string[];
  unlink: boolean;
}
export const LINK_HYPOTHESIS_PARAMS_FIELDS = fields<LinkHypothesisParams>()(["hypothesis_id", "experiment_ids", "unlink"]);

export interface SetHypothesisStatusParams extends HypothesisParams {
  status?: HypothesisStatus | null; // null: clear the override
  note?: string | null;
}
export const SET_HYPOTHESIS_STATUS_PARAMS_FIELDS = fields<SetHypothesisStatusParams>()([
  "hypothesis_id", "status", "note",
]);

export interface SetHypothesisThresholdsParams extends HypothesisParams {
  thresholds: HypothesisThresholds;
}
export const SET_HYPOTHESIS_THRESHOLDS_PARAMS_FIELDS = fields<SetHypothesisThresholdsParams>()([
  "hypothesis_id", "thresholds",
]);

export interface Citation {
  kind: CitationKind;
  experiment_id?: string | null;
  seq?: number | null;
  cell_id?: string | null;
  cell_index?: number | null;
  op?: StepOp | null;
  dataset?: string | null;
  session?: number | null;
  label?: string | null; // "[E0003]", "[cell 11]", "[#24 impute_missing]"
}
export const CITATION_FIELDS = fields<Citation>()([
  "kind", "experiment_id", "seq", "cell_id", "cell_index", "op", "dataset", "session", "label",
]);

export interface AskParams extends NotebookParams {
  question: string;
  provider?: ProviderName | null;
  dry_run: boolean;
}
export const ASK_PARAMS_FIELDS = fields<AskParams>()(["notebook_uri", "question", "provider", "dry_run"]);

export interface AskAnswer {
  notebook_uri: string;
  question: string;
  intent: AskIntent;
  answer: string; // Markdown citing experiments, cells and steps
  citations: Citation[];
  provider: string;
  model?: string | null;
  records: string;
  prompt?: string | null;
  sent: boolean;
  faithfulness: string[];
  warnings: string[];
}
export const ASK_ANSWER_FIELDS = fields<AskAnswer>()([
  "notebook_uri", "question", "intent", "answer", "citations", "provider", "model", "records", "prompt", "sent",
  "faithfulness", "warnings",
]);

// ------------------------------------------------------------ provenance (the data lineage graph)
export const GRAPH_NODE_KINDS = ["source", "step", "variable", "code", "run"] as const;
export type GraphNodeKind = (typeof GRAPH_NODE_KINDS)[number];
/** failed / stale / re-run runs, and values read but never produced in the scope. */
export const GRAPH_MARKS = ["failed", "stale", "rerun", "unknown"] as const;
export type GraphMark = (typeof GRAPH_MARKS)[number];

export interface ProvenanceParams extends NotebookParams {
  variable?: string | null; // null (and no seq): the last fitted model, else the last variable written
  session?: number | null; // null: the latest run that wrote the variable
  experiment_id?: string | null; // within this experiment's slice (its evaluation by default)
  seq?: number | null; // the value as it was after this execution; with no variable: this execution
}
export const PROVENANCE_PARAMS_FIELDS = fields<ProvenanceParams>()(["notebook_uri", "variable", "session", "experiment_id", "seq"]);

/** One node, worded by the sidecar (render/graph.py). */
export interface GraphNode {
  id: string;
  kind: GraphNodeKind;
  label: string;
  detail?: string | null;
  note?: string | null;
  code?: string | null;
  op?: StepOp | null;
  marks: GraphMark[];
  variable?: string | null; // the value this node is or made (what "Gather code" would recompute)
  seq?: number | null;
  cell_id?: string | null;
  cell_index?: number | null;
}
export const GRAPH_NODE_FIELDS = fields<GraphNode>()([
  "id", "kind", "label", "detail", "note", "code", "op", "marks", "variable", "seq", "cell_id", "cell_index",
]);

export interface GraphEdge {
  source: string;
  target: string;
}
export const GRAPH_EDGE_FIELDS = fields<GraphEdge>()(["source", "target"]);

export interface ProvenanceGraph {
  notebook_uri: string;
  variable?: string | null;
  session?: number | null;
  experiment_id?: string | null;
  seq?: number | null;
  target?: string | null; // the node asked about
  nodes: GraphNode[];
  edges: GraphEdge[];
  variables: string[];
  truncated: boolean;
  message?: string | null; // why it is empty or cut, in words
}
export const PROVENANCE_GRAPH_FIELDS = fields<ProvenanceGraph>()([
  "notebook_uri", "variable", "session", "experiment_id", "seq", "target", "nodes", "edges", "variables",
  "truncated", "message",
]);

/** Python class name -> its field list. The contract test compares this with protocol.py's models. */
export const MESSAGE_FIELDS = {
  CellOutput: CELL_OUTPUT_FIELDS,
  CellExecution: CELL_EXECUTION_FIELDS,
  NotebookKernel: NOTEBOOK_KERNEL_FIELDS,
  NotebookSources: NOTEBOOK_SOURCES_FIELDS,
  SetConfigParams: SET_CONFIG_PARAMS_FIELDS,
  RuntimeFacts: RUNTIME_FACTS_FIELDS,
  InputFile: INPUT_FILE_FIELDS,
  StepCondition: STEP_CONDITION_FIELDS,
  StepLoop: STEP_LOOP_FIELDS,
  FormulaFit: FORMULA_FIT_FIELDS,
  Step: STEP_FIELDS,
  FileWritten: FILE_WRITTEN_FIELDS,
  OutputInfo: OUTPUT_INFO_FIELDS,
  ErrorInfo: ERROR_INFO_FIELDS,
  ExecutionRecord: EXECUTION_RECORD_FIELDS,
  SessionInfo: SESSION_INFO_FIELDS,
  LineageDocument: LINEAGE_DOCUMENT_FIELDS,
  NotebookParams: NOTEBOOK_PARAMS_FIELDS,
  LineageParams: LINEAGE_PARAMS_FIELDS,
  CellAnnotationParams: CELL_ANNOTATION_PARAMS_FIELDS,
  CellRef: CELL_REF_FIELDS,
  CellAnnotation: CELL_ANNOTATION_FIELDS,
  CellHistoryParams: CELL_HISTORY_PARAMS_FIELDS,
  CellVersion: CELL_VERSION_FIELDS,
  CellHistory: CELL_HISTORY_FIELDS,
  SummarizeParams: SUMMARIZE_PARAMS_FIELDS,
  SummaryCitation: SUMMARY_CITATION_FIELDS,
  SummaryResult: SUMMARY_RESULT_FIELDS,
  PreviewPromptParams: PREVIEW_PROMPT_PARAMS_FIELDS,
  PromptPreview: PROMPT_PREVIEW_FIELDS,
  StatusResult: STATUS_RESULT_FIELDS,
  LineageChanged: LINEAGE_CHANGED_FIELDS,
  Metric: METRIC_FIELDS,
  SeedRecord: SEED_RECORD_FIELDS,
  SliceEntry: SLICE_ENTRY_FIELDS,
  DatasetRevision: DATASET_REVISION_FIELDS,
  FrameFingerprint: FRAME_FINGERPRINT_FIELDS,
  ModelFingerprint: MODEL_FINGERPRINT_FIELDS,
  InputsWrittenAgain: INPUTS_WRITTEN_AGAIN_FIELDS,
  FeatureChange: FEATURE_CHANGE_FIELDS,
  GitState: GIT_STATE_FIELDS,
  RunStamp: RUN_STAMP_FIELDS,
  SecondLook: SECOND_LOOK_FIELDS,
  ExperimentSummary: EXPERIMENT_SUMMARY_FIELDS,
  Experiment: EXPERIMENT_FIELDS,
  ExperimentsParams: EXPERIMENTS_PARAMS_FIELDS,
  ExperimentList: EXPERIMENT_LIST_FIELDS,
  ExperimentParams: EXPERIMENT_PARAMS_FIELDS,
  MarkExperimentParams: MARK_EXPERIMENT_PARAMS_FIELDS,
  NameExperimentParams: NAME_EXPERIMENT_PARAMS_FIELDS,
  ReparentExperimentParams: REPARENT_EXPERIMENT_PARAMS_FIELDS,
  ExportExperimentParams: EXPORT_EXPERIMENT_PARAMS_FIELDS,
  ExportResult: EXPORT_RESULT_FIELDS,
  GatherParams: GATHER_PARAMS_FIELDS,
  GatherAnswer: GATHER_ANSWER_FIELDS,
  VerifyParams: VERIFY_PARAMS_FIELDS,
  VerifyCause: VERIFY_CAUSE_FIELDS,
  VerifyDivergence: VERIFY_DIVERGENCE_FIELDS,
  VerifyResult: VERIFY_RESULT_FIELDS,
  DiffSide: DIFF_SIDE_FIELDS,
  MetricDelta: METRIC_DELTA_FIELDS,
  StepRef: STEP_REF_FIELDS,
  FactChange: FACT_CHANGE_FIELDS,
  ValueChange: VALUE_CHANGE_FIELDS,
  DataChange: DATA_CHANGE_FIELDS,
  CellCodeChange: CELL_CODE_CHANGE_FIELDS,
  Cause: CAUSE_FIELDS,
  Divergence: DIVERGENCE_FIELDS,
  ExperimentDiff: EXPERIMENT_DIFF_FIELDS,
  DiffParams: DIFF_PARAMS_FIELDS,
  HypothesisThresholds: HYPOTHESIS_THRESHOLDS_FIELDS,
  Evidence: EVIDENCE_FIELDS,
  Hypothesis: HYPOTHESIS_FIELDS,
  HypothesesParams: HYPOTHESES_PARAMS_FIELDS,
  HypothesisList: HYPOTHESIS_LIST_FIELDS,
  AddHypothesisParams: ADD_HYPOTHESIS_PARAMS_FIELDS,
  HypothesisParams: HYPOTHESIS_PARAMS_FIELDS,
  LinkHypothesisParams: LINK_HYPOTHESIS_PARAMS_FIELDS,
  SetHypothesisStatusParams: SET_HYPOTHESIS_STATUS_PARAMS_FIELDS,
  SetHypothesisThresholdsParams: SET_HYPOTHESIS_THRESHOLDS_PARAMS_FIELDS,
  Citation: CITATION_FIELDS,
  AskParams: ASK_PARAMS_FIELDS,
  AskAnswer: ASK_ANSWER_FIELDS,
  DatabaseError: DATABASE_ERROR_FIELDS,
  ProvenanceParams: PROVENANCE_PARAMS_FIELDS,
  GraphNode: GRAPH_NODE_FIELDS,
  GraphEdge: GRAPH_EDGE_FIELDS,
  ProvenanceGraph: PROVENANCE_GRAPH_FIELDS,
} as const;

/** "Model.field" -> the allowed values of that field (Python Literal types). */
export const FIELD_ENUMS = {
  "CellOutput.output_type": OUTPUT_TYPES,
  "CellExecution.status": EXECUTION_STATUSES,
  "SetConfigParams.summary_provider": PROVIDER_NAMES,
  "Step.op": STEP_OPS,
  "Step.decided_by": DECIDERS,
  "Step.runtime_source": RUNTIME_SOURCES,
  "RuntimeFacts.source": RUNTIME_SOURCES,
  "Step.static_op": STEP_OPS,
  "Step.names_axis": AXES,
  "Step.random_draw": RANDOM_DRAW_FORMS,
  "ExecutionRecord.status": EXECUTION_STATUSES,
  "ExecutionRecord.runtime_status": RUNTIME_STATUSES,
  "ExecutionRecord.runtime_evidence": KERNEL_EVIDENCE,
  "SessionInfo.runtime_status": RUNTIME_STATUSES,
  "ExecutionRecord.code_names": CODE_KINDS,
  "ExecutionRecord.stale": STALE_REASONS,
  "CellAnnotation.last_status": EXECUTION_STATUSES,
  "CellAnnotation.stale": STALE_REASONS,
  "SummarizeParams.provider": PROVIDER_NAMES,
  "PreviewPromptParams.provider": PROVIDER_NAMES,
  "StatusResult.db_mode": DB_MODES,
  "Metric.direction": METRIC_DIRECTIONS,
  "SliceEntry.status": EXECUTION_STATUSES,
  "FrameFingerprint.role": FRAME_ROLES,
  "ModelFingerprint.source": MODEL_SOURCES,
  "FeatureChange.change": FEATURE_CHANGE_KINDS,
  "FeatureChange.unset_means": UNSET_MEANINGS,
  "ExperimentSummary.status": EXPERIMENT_STATUSES,
  "ExperimentSummary.origin": EXPERIMENT_ORIGINS,
  "Experiment.status": EXPERIMENT_STATUSES,
  "Experiment.origin": EXPERIMENT_ORIGINS,
  "ExportExperimentParams.format": EXPORT_FORMATS,
  "DiffSide.kind": DIFF_SIDE_KINDS,
  "DiffSide.status": EXPERIMENT_STATUSES,
  "MetricDelta.direction": METRIC_DIRECTIONS,
  "MetricDelta.better": BETTER,
  "MetricDelta.noise_source": NOISE_SOURCES,
  "StepRef.op": STEP_OPS,
  "Cause.kind": CAUSE_KINDS,
  "CellCodeChange.change": CODE_CHANGE_KINDS,
  "Divergence.kind": DIVERGENCE_KINDS,
  "HypothesisThresholds.min_confidence": CONFIDENCES,
  "Evidence.confidence": CONFIDENCES,
  "Evidence.reasons": CONFIDENCE_REASONS,
  "Evidence.verdict": VERDICTS,
  "Evidence.missing": NO_EVIDENCE,
  "Hypothesis.direction": METRIC_DIRECTIONS,
  "Hypothesis.computed_status": HYPOTHESIS_STATUSES,
  "Hypothesis.status": HYPOTHESIS_STATUSES,
  "AddHypothesisParams.direction": METRIC_DIRECTIONS,
  "SetHypothesisStatusParams.status": HYPOTHESIS_STATUSES,
  "Citation.kind": CITATION_KINDS,
  "Citation.op": STEP_OPS,
  "AskParams.provider": PROVIDER_NAMES,
  "AskAnswer.intent": ASK_INTENTS,
  "GraphNode.kind": GRAPH_NODE_KINDS,
  "GraphNode.op": STEP_OPS,
  "GraphNode.marks": GRAPH_MARKS,
} as const;
