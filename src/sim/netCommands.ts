// The application VM's network (DOMAIN.md §1–2): a shared network adapter is
// driven by the system VM and reaches the application VM as virtio-net over a
// virtual-socket channel, through networkd, which applies the egress policy.
// An adapter passed straight to the application VM bypasses networkd — and
// with it every filter.

import type { Shell } from './commands/context.ts';
import type { Engine } from './engine.ts';
import { appNetwork, type DeviceView } from './devices.ts';
import { KINDS } from '../model/catalog.ts';
import { HOST_PATTERN, addressOf, classify, isIpv4, isLoopback, parseEgress, type EgressVerdict } from './network.ts';
import { addedRouteFor, directAddress, dotted, linkAddress, type GuestRoute } from './net/routes.ts';

export type Route =
  | { kind: 'paravirtual'; dev: DeviceView }
  | { kind: 'direct'; dev: DeviceView }
  | { kind: 'none'; why: string };

/** The route traffic from the application VM takes; `preferUnfiltered` is what malware looks for. */
export function appRoute(sim: Engine, preferUnfiltered = false): Route {
  const { paravirtual, direct } = appNetwork(sim.board);
  if (preferUnfiltered && direct.length) return { kind: 'direct', dev: direct[0] };
  if (paravirtual.length) return { kind: 'paravirtual', dev: paravirtual[0] };
  if (direct.length) return { kind: 'direct', dev: direct[0] };
  return { kind: 'none', why: 'no network device: no network adapter is paravirtualized (shared) or passed through to the application VM' };
}

/**
 * The route a packet to `host` takes once the guest's own table is looked up: the link of a route
 * the guest added, and, when that route's gateway is not networkd, a gateway nobody on the virtual
 * link answers (`dead`). A passed-through adapter's real network is not modelled: its routes change nothing here.
 */
export function viaGuestTable(sim: Engine, route: Route, host: string): { route: Route; dead: GuestRoute | null } {
  const added = route.kind === 'paravirtual' ? addedRouteFor(sim, host) : null;
  if (!added) return { route, dead: null };
  return { route: { kind: 'paravirtual', dev: added.route.link.dev }, dead: added.answered ? null : added.route };
}

export function pathText(sim: Engine, given: Route, host: string): string {
  const { route, dead } = viaGuestTable(sim, given, host);
  if (dead) return `app-vm ${dead.link.dev.devName} (virtio-net) → gateway ${dotted(dead.via)}, by a route of the guest's own: no such host on the virtual link`;
  if (route.kind === 'paravirtual') return `app-vm ${route.dev.devName} (virtio-net) → virtqueue → networkd (system VM) → ${route.dev.id} → ${host}`;
  if (route.kind === 'direct') return `app-vm ${route.dev.devName} (direct) → ${route.dev.id} → ${host}   [no networkd in the path: no egress filtering]`;
  return '';
}

/** networkd's verdict on a host, read from its policy file in the system VM. */
export function egressVerdict(sim: Engine, host: string): EgressVerdict {
  return classify(parseEgress(sim.guests.system.fs.read('/etc/networkd/egress.conf') ?? ''), host);
}

/** The bus accesses one packet costs along the route (for the diagram). */
export function packetAccesses(sim: Engine, route: Route): void {
  if (route.kind === 'paravirtual') {
    sim.busAccess('cpu:app', 'pv-buffers', 'write', 0x100, 1);
    sim.busAccess('cpu:system', 'pv-buffers', 'read', 0x100);
    sim.busAccess('cpu:system', route.dev.id, 'write', 0x10, 1);
  } else if (route.kind === 'direct') {
    sim.busAccess('cpu:app', route.dev.id, 'write', 0x10, 1);
  }
}

/**
 * Sends traffic from the application VM to a host. Returns null when it goes
 * out, or the reason it did not (the caller prints it). Through networkd, the
 * guest's packet reaches the system VM (the paravirtual buffers) and is judged
 * there — the egress list, then `judge` (networkd's data filters) — and only
 * what passes is written to the network adapter.
 */
export function sendFromApp(sim: Engine, given: Route, host: string, what: string, judge?: () => string | null): string | null {
  if (given.kind === 'none') return given.why;
  // A route the guest added may send the packet by another link, or to a gateway nobody is.
  const { route, dead } = viaGuestTable(sim, given, host);
  if (route.kind === 'paravirtual') {
    if (sim.guests.system.state !== 'running') return `networkd unreachable: the system VM is ${sim.guests.system.state}`;
    // The frames (for a dead gateway, its ARP requests) go through the virtqueue to networkd.
    sim.busAccess('cpu:app', 'pv-buffers', 'write', 0x100, 1);
    sim.busAccess('cpu:system', 'pv-buffers', 'read', 0x100);
    if (dead) {
      const r = dead;
      const gateway = dotted(r.link.gateway);
      sim.emit('net.blocked', 'app',
        `The application VM's own route sends ${what} to ${host} via ${dotted(r.via)}, an address nobody on its virtual link answers ARP for: networkd (${gateway}) is the only host there, and the real network's routing table is in the system VM.`,
        [route.dev.id, 'pv-buffers'], { host, reason: 'route', via: route.dev.id, gateway: dotted(r.via) });
      return `${host}: Destination Host Unreachable (no answer to ARP for ${dotted(r.via)} on ${r.link.dev.devName}): `
        + `networkd (${gateway}) is the only host on the virtual link, so a route of the guest's own reaches nothing past it`;
    }
    const v = egressVerdict(sim, host);
    if (!v.allowed) {
      sim.emit('net.blocked', 'app', `networkd in the system VM refused ${what} from the application VM to ${host} (${v.reason}).`,
        [route.dev.id, 'pv-buffers'], { host, reason: v.reason, ...(v.category ? { category: v.category } : {}), via: route.dev.id });
      return `refused by networkd (system VM): ${host} — ${v.reason}`;
    }
    const refused = judge?.() ?? null;
    if (refused) return refused;
    sim.busAccess('cpu:system', route.dev.id, 'write', 0x10, 1);
    return null;
  }
  packetAccesses(sim, route);
  return null;
}

export function ifconfigCommand(sh: Shell): void {
  const { paravirtual, direct } = appNetwork(sh.sim.board);
  const lines = ['lo: loopback 127.0.0.1'];
  paravirtual.forEach((d, i) => {
    lines.push(`${d.devName}: virtio-net (paravirtual) inet ${linkAddress(i)}/24`);
    lines.push(`      path: app-vm ${d.devName} → virtqueue → networkd (system VM) → ${d.id} (${KINDS[d.kind].name}) — egress filtered by networkd`);
  });
  direct.forEach((d, i) => {
    lines.push(`${d.devName}: ${d.id} ${KINDS[d.kind].name} (direct, passed through) inet ${directAddress(i)}/24`);
    lines.push(`      path: app-vm ${d.devName} → ${d.id} — bypasses networkd: no egress filtering`);
  });
  sh.print(lines.join('\n'));
  if (paravirtual.length + direct.length === 0) {
    sh.error('ifconfig: no network device — no network adapter is paravirtualized or passed through to this VM');
  }
}

function checkHost(sh: Shell, cmd: string, host: string | undefined): host is string {
  if (!host) {
    sh.error(`usage: ${cmd} <host>`);
    return false;
  }
  if (!HOST_PATTERN.test(host)) {
    sh.error(`${cmd}: ${host}: Name or service not known`);
    return false;
  }
  return true;
}

export function pingCommand(sh: Shell, args: string[]): void {
  const host = args.find((a) => !a.startsWith('-'));
  if (!checkHost(sh, 'ping', host)) return;
  // The VM's own loopback: its kernel answers on lo; nothing reaches a device, networkd or the bus.
  const loop = isLoopback(host);
  const route = appRoute(sh.sim);
  if (!loop && route.kind === 'none') return sh.error(`ping: ${route.why}`);
  // A name is resolved first, by networkd's resolver: with the system VM down nothing answers. An address is not resolved.
  const sys = sh.sim.guests.system.state;
  if (!loop && route.kind === 'paravirtual' && sys !== 'running' && !isIpv4(host)) {
    sh.sim.emit('vsock.request', 'app', `The application VM asked networkd "dns ${host}": no answer, the system VM is ${sys}.`,
      ['app', 'pv-buffers'], { op: 'dns', request: `dns ${host}`, verdict: 'no-answer' });
    return sh.error(`ping: ${host}: Temporary failure in name resolution — networkd's resolver does not answer over vsock: the system VM is ${sys}`);
  }
  sh.print(`PING ${host} (${addressOf(host)})\n  path: ${loop ? "app-vm lo (loopback): this VM's own kernel answers; nothing leaves the VM" : pathText(sh.sim, route, host)}`);
  // A user-mode network stack forwards no raw ICMP: it sends echo requests of its own on a ping socket.
  const throughNetworkd = !loop && route.kind === 'paravirtual' && !viaGuestTable(sh.sim, route, host).dead;
  if (throughNetworkd) sh.print(`  networkd sends its own ICMP echo requests to ${host} and relays the replies`);
  const count = 3;
  let received = 0;
  for (let i = 0; i < count; i++) {
    sh.guest.after(i * 1000 + 1, () => {
      let ms: string;
      if (loop) ms = `0.0${4 + sh.sim.rng.int(0, 5)}`;
      else {
        // Without a running system VM, the request waits in the virtqueue: nobody reads it, nothing answers.
        if (throughNetworkd && sh.sim.guests.system.state !== 'running') return;
        const refused = sendFromApp(sh.sim, route, host, 'a ping');
        if (refused) return sh.error(`ping: ${refused}`);
        ms = ((route.kind === 'paravirtual' ? 14 : 11) + sh.sim.rng.int(0, 2500) / 100).toFixed(1);
      }
      received++;
      sh.print(`64 bytes from ${addressOf(host)}: icmp_seq=${i + 1} time=${ms} ms`);
    });
  }
  sh.guest.after(count * 1000, () => {
    const down = throughNetworkd && sh.sim.guests.system.state !== 'running';
    sh.print(`--- ${host}: ${count} sent, ${received} received${down && received < count ? ` (networkd does not read the virtqueue: the system VM is ${sh.sim.guests.system.state})` : ''}`);
  });
}
