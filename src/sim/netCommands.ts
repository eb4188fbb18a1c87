import type { Shell } from './shell.ts';
export function ifconfigCommand(sh: Shell, _args: string[]): void { sh.error('ifconfig: not available yet'); }
export function pingCommand(sh: Shell, _args: string[]): void { sh.error('ping: not available yet'); }
export function curlCommand(sh: Shell, _args: string[]): void { sh.error('curl: not available yet'); }
