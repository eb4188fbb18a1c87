// The engine's public surface for the worker, the CLI and tests.
export * from './types.ts';
export { Simulation, SYSTEM_RAM_MARKER, WATCHDOG_TIMEOUT_MS } from './simulation.ts';
export type { SimulationOptions, OrderedOutput, RefreshReason } from './simulation.ts';
export { Firewall, mastersOf } from './firewall.ts';
export type { Decision, Op } from './firewall.ts';
export { MemoryMap, REGION_IDS } from './memoryMap.ts';
export type { MapEntry, RegionId } from './memoryMap.ts';
export { EventQueue } from './eventQueue.ts';
export { devicesOf } from './devices.ts';
export { renderTranscript, Screen, stripAnsi } from './text.ts';
