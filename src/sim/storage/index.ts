// The application VM's /data on the paravirtual flash (issue 8, part 4).
export * from './appData.ts';
export * from './wait.ts';
