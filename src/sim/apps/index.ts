// Apps in the application VM (issue 9 items 1–4): PID namespaces, the
// serialising supervisor, signed app packages, resources and container limits.
// Pure: time, randomness and the event sink are passed in.

export { ManualClock, randomInt, type AppEvent, type AppEventType, type Clock, type EventSink, type Rng } from './types.ts';
export { HOST_NS, ProcessTable, type Process } from './processes.ts';
export {
  builtinPackages, defaultTrustStore, deviceRoot, RESOURCE_KINDS, checkPackage, certificateMessage, findPackage, issueCertificate,
  manifestHashOf, packageMessage, signPackage,
  type AppPackage, type AppStep, type Certificate, type ResourceKind, type TrustRoot, type TrustStore, type Verdict,
} from './packages.ts';
export { RESOURCES_PER_COMPONENT, ResourceManager } from './resources.ts';
export { LAUNCH_TIMEOUT_MS, START_DELAY_MS, Supervisor, type AllocResult, type AppRecord, type LaunchResult, type SupervisorOptions } from './supervisor.ts';
export { formatApps, formatFree, formatPs } from './format.ts';
