// networkd's state for one simulation (DOMAIN.md §2: the host controls the
// network and keeps the secrets): the credentials it holds, the network it
// joined, and the Networkd that judges each request of the application VM.
// Every request the guest makes of it crosses the vsock channel, which is a
// write into the paravirtual buffers by the guest's CPU and a read by the
// system VM's — transactions like any other.

import type { Engine } from '../engine.ts';
import { Networkd, BUILTIN_DATA_RULES, type NetPolicy } from '../fragments/index.ts';
import { appRoute, type Route } from '../netCommands.ts';
import { parseEgress, type EgressPolicy } from '../network.ts';

/** The networks in radio range of the board, as a scan finds them (name, signal in dBm). */
export const NETWORKS_IN_RANGE: readonly [string, number][] = [['kitchen', -48], ['oven-guest', -61], ['neighbour-5G', -77]];

/** The address networkd gives the guest's link, its gateway and resolver (QEMU user networking's well-known plan). */
export const GUEST_LINK = { address: '10.0.2.15/24', gateway: '10.0.2.2', dns: '10.0.2.2' };

/** Where vsock requests sit in the paravirtual buffers. */
const VSOCK_OFFSET = 0x300;

export interface HostNet {
  /** Credentials held by networkd in the system VM, by network name. */
  credentials: Map<string, string>;
  /** The network the adapter joined, if any. */
  joined: string | null;
}

const STATE = new WeakMap<Engine, HostNet>();

/** The Wi-Fi adapter networkd drives, if the board gives the system VM one (its own, or shared with the application VM). */
export function systemRadio(sim: Engine): string | null {
  return sim.board.components.find((c) => c.kind === 'wifi' && (c.domain === 'system' || c.domain === 'shared'))?.id ?? null;
}

export function hostNet(sim: Engine): HostNet {
  let s = STATE.get(sim);
  // The device's home network is configured in networkd; the adapter has joined it, if there is one.
  if (!s) STATE.set(sim, (s = { credentials: new Map([['kitchen', 'correct horse battery staple']]), joined: systemRadio(sim) ? 'kitchen' : null }));
  return s;
}

/** networkd's policy, read from its file in the system VM each time (edits apply at once). */
export function policyOf(sim: Engine): EgressPolicy {
  return parseEgress(sim.guests.system.fs.read('/etc/networkd/egress.conf') ?? '');
}

export function networkdOf(sim: Engine): Networkd {
  const p = policyOf(sim);
  const policy: NetPolicy = {
    dataRules: BUILTIN_DATA_RULES.filter((r) => p.filters.includes(r.name)),
    tlsRequired: p.requireTls, encrypted: p.encrypt, proxied: p.proxy,
  };
  return new Networkd(policy, hostNet(sim).credentials, {
    clock: { now: () => sim.now },
    emit: ({ type, vm, message, t: _t, ...details }) => void sim.emit(type, vm, message, ['app', 'pv-buffers'], details),
    networks: NETWORKS_IN_RANGE.map(([n]) => n),
  });
}

/** One vsock message from the application VM to networkd, on the bus. */
export function vsockTransfer(sim: Engine): void {
  sim.busAccess('cpu:app', 'pv-buffers', 'write', VSOCK_OFFSET, 1);
  sim.busAccess('cpu:system', 'pv-buffers', 'read', VSOCK_OFFSET);
}

export type Reach =
  | { ok: true; route: Extract<Route, { kind: 'paravirtual' }>; networkd: Networkd }
  | { ok: true; route: Extract<Route, { kind: 'direct' }> }
  | { ok: false; error: string };

/**
 * Who answers the application VM's network requests: networkd over vsock when
 * the network is paravirtual (and the system VM runs), the guest's own driver
 * when an adapter is passed through, nobody when there is none.
 */
export function reach(sim: Engine, request: string): Reach {
  const route = appRoute(sim);
  if (route.kind === 'none') return { ok: false, error: route.why };
  if (route.kind === 'direct') return { ok: true, route };
  if (sim.guests.system.state !== 'running') {
    sim.emit('vsock.request', 'app', `The application VM asked networkd "${request}": no answer, the system VM is ${sim.guests.system.state}.`,
      ['app', 'pv-buffers'], { op: request.split(' ')[0], request, verdict: 'no-answer' });
    return { ok: false, error: `networkd unreachable over vsock: the system VM is ${sim.guests.system.state}` };
  }
  vsockTransfer(sim);
  return { ok: true, route, networkd: networkdOf(sim) };
}
