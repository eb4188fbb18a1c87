// Image fragments, updates with rollback, integrity and quarantine, refresh
// planning (issue 8): a pure module the shell and the VMM drive. See docs/images.md.
export * from './fragment.ts';
export * from './compose.ts';
export * from './builtin.ts';
export * from './guestfs.ts';
export * from './events.ts';
export * from './updates.ts';
export * from './integrity.ts';
export * from './refresh.ts';
export * from './blockfs.ts';
export * from './netpolicy.ts';
export * from './trust.ts';
