// nodefit's library entry: explicit named exports of the estimator, the analysis, detection, resolution and the types.

// Estimate one model on one machine.
export { estimate, defaultContext, autoRuntime } from "./estimate/estimate.js";
export { FIT_LEVELS, RUN_MODES, RUNTIMES, KV_CACHE_TYPES } from "./estimate/types.js";
export type { Estimate, EstimateRequest, EstimateBasis, MemoryBreakdown, FitLevel, RunMode, Runtime, KvCacheType } from "./estimate/types.js";
export { scoreEstimate } from "./score/score.js";
export type { Score, ScoreComponents } from "./score/score.js";
export { quantName, formatOf, knownQuantNames } from "./domain/quants.js";
export type { QuantName, QuantFormat } from "./domain/quants.js";
export { parseEstimateRequest } from "./contract/estimate-request.js";
export type { EstimateRequestInput } from "./contract/estimate-request.js";
export { runEstimateRequest } from "./service/estimate-request.js";
export type { EstimateRequestContext } from "./service/estimate-request.js";

// Analyze the whole catalog on a machine, and query the rows as the API does.
export { analyzeCatalog } from "./service/analyze.js";
export type { AnalyzeOptions } from "./service/analyze.js";
export { parseModelQuery } from "./query/model-query.js";
export type { ModelQuery, ModelRoute, RawQuery } from "./query/model-query.js";
export { selectRows } from "./query/select-rows.js";
export type { RowSelection } from "./query/select-rows.js";
export { filtersJson } from "./query/filters-json.js";

// Detect this machine, or describe another one.
export { detectMachine, refreshDynamic } from "./hardware/detect.js";
export type { DetectOptions } from "./hardware/detect.js";
export { realIO } from "./hardware/real-io.js";
export { fixtureIO } from "./hardware/fixture-io.js";
export type { HardwareIO, CommandResult } from "./hardware/io.js";
export { describeMachine, parseMachineDescription, completeMachine, loadMachineFile, parseMachineFile } from "./hardware/describe.js";
export type { MachineDescription } from "./hardware/describe.js";
export { applyOverrides, parseOverrides } from "./hardware/overrides.js";
export type { HardwareOverrides, RawOverrides } from "./hardware/overrides.js";
export { primaryGpu } from "./domain/machine.js";
export type { Machine, GpuDevice, CpuInfo, MemoryInfo, NodeIdentity, Backend, OsName } from "./domain/machine.js";

// Resolve what a person calls a model to a catalog entry.
export { resolveModel } from "./catalog/resolve.js";
export type { Resolution, Candidate, MatchKind } from "./catalog/resolve.js";
export { bundledModels } from "./catalog/bundled.js";
export { parseCatalogFile, mergeCatalogs } from "./catalog/load.js";
export type { ModelSpec, Category, Capability } from "./catalog/schema.js";

// The wire objects (the same for HTTP, CLI --json and MCP).
export { systemJson } from "./contract/system.js";
export type { SystemJson } from "./contract/system.js";
export { modelRow } from "./contract/row.js";
export type { ModelRowJson } from "./contract/row.js";
export type { EstimateResultJson } from "./contract/estimate.js";
export { healthJson, systemResponseJson, modelsEnvelopeJson } from "./contract/envelope.js";
export type { HealthJson, SystemResponseJson, ModelsEnvelopeJson, FiltersJson, NodeJson, ResolvedFromJson } from "./contract/envelope.js";

// This node's LLM runtimes and the models on its disks (the service's inputs).
export { detectRuntimes } from "./runtimes/detect.js";
export { endpointsToProbe, parseRuntimeEndpoints } from "./runtimes/endpoints.js";
export type { DetectedRuntime, RuntimeSnapshot, RuntimeEndpoint, RuntimeKind } from "./runtimes/types.js";
export { scanInstalled } from "./installed/scan.js";
export { HeaderCache } from "./installed/header-cache.js";
export { storeRoots, parseModelsDirs } from "./installed/stores.js";
export type { Inventory, InstalledModel, StoreRoot } from "./installed/types.js";
export { runtimesJson } from "./contract/runtimes.js";
export type { RuntimesJson } from "./contract/runtimes.js";
export type { InstalledAsJson } from "./contract/installed.js";
export { localNodeInputs } from "./service/local-inputs.js";
export type { LocalInputsOptions } from "./service/local-inputs.js";

// The node agent, embeddable.
export { NodeService } from "./service/node-service.js";
export type { NodeServiceOptions } from "./service/node-service.js";
export { openLocalService } from "./service/local-service.js";
export type { LocalServiceOptions } from "./service/local-service.js";
export { buildApp } from "./http/app.js";
export type { AppOptions } from "./http/app.js";
export { startServer } from "./http/server.js";
export type { RunningServer, StartOptions } from "./http/server.js";

// Errors.
export { NodefitError, isNodefitError } from "./domain/errors.js";
export type { ErrorCode } from "./domain/errors.js";
