// "Takes effect at the next boot": the firewall tables, the domains and the
// memory map are set when the SoC boots, so an edit while powered on waits
// for "Apply & reboot" — and says so where it is made.
import { useEngineStore } from '../store/engineStore.ts';

export function NextBoot() {
  const powered = useEngineStore((s) => s.powered);
  if (!powered) return null;
  return <span className="next-boot">takes effect at the next boot (Apply &amp; reboot)</span>;
}
