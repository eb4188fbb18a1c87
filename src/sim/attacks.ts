import type { Shell } from './shell.ts';
export function attackCommand(sh: Shell, _args: string[]): void {
  sh.error('attack: not available yet');
}
