import type { Shell } from './shell.ts';
export function dmaCommand(sh: Shell, _args: string[]): void {
  sh.error('dma: not available yet');
}
