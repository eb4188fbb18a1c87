// The application VM's own routing table. It is the guest kernel's: root in
// the guest may add routes (CAP_NET_ADMIN), and they last until the VM's next
// boot. What they cannot do is reach past the virtual link: on a paravirtual
// adapter the only other host on that link is networkd in the system VM, so a
// route via any other gateway sends frames that nobody answers (its ARP
// requests go unanswered: Destination Host Unreachable), and a route via
// networkd ends where the default route does, at networkd's own policy.

import type { Engine } from '../engine.ts';
import { appNetwork, type DeviceView } from '../devices.ts';
import { addressOf, isIpv4 } from '../network.ts';

/** One link of the guest: its device, its /24 and its own address, and who answers as gateway on it. */
export interface Link { dev: DeviceView; net: number; self: number; gateway: number }

/** A route the guest added: destination prefix, next hop, and the link it leaves by. */
export interface GuestRoute { dst: number; prefix: number; via: number; link: Link }

const TABLES = new WeakMap<Engine, { bootedAt: number; routes: GuestRoute[] }>();

const toInt = (a: string) => a.split('.').reduce((n, p) => n * 256 + Number(p), 0);
export const dotted = (n: number) => [24, 16, 8, 0].map((s) => Math.floor(n / 2 ** s) % 256).join('.');
const mask = (prefix: number) => (prefix === 0 ? 0 : (0xffffffff - (2 ** (32 - prefix) - 1)));
const inPrefix = (addr: number, dst: number, prefix: number) => ((addr & mask(prefix)) >>> 0) === dst;

/** Each virtio-net link networkd serves is a subnet of its own, as user-mode stacks give each link: 10.0.2.15, 10.0.3.15, … */
export function linkAddress(i: number): string {
  return `10.0.${2 + i}.15`;
}

/** A passed-through adapter is on the real network: 192.168.1.41, .42, …, behind its router at .1. */
export function directAddress(i: number): string {
  return `192.168.1.${41 + i}`;
}

/**
 * The guest's links: each paravirtual adapter is a /24 of its own whose
 * gateway, .2, is networkd; without one, the first passed-through adapter's
 * /24 on the real network, whose gateway is its router.
 */
export function guestLinks(sim: Engine): Link[] {
  const { paravirtual, direct } = appNetwork(sim.board);
  const link = (dev: DeviceView, self: string, gateway: number): Link => {
    const net = toInt(self) - (toInt(self) % 256);
    return { dev, net, self: toInt(self), gateway: net + gateway };
  };
  if (paravirtual.length) return paravirtual.map((dev, i) => link(dev, linkAddress(i), 2));
  return direct.slice(0, 1).map((dev) => link(dev, directAddress(0), 1));
}

/** The routes the guest added since it booted. */
export function guestRoutes(sim: Engine): GuestRoute[] {
  const bootedAt = sim.guests.app.bootedAt;
  let t = TABLES.get(sim);
  if (!t || t.bootedAt !== bootedAt) TABLES.set(sim, (t = { bootedAt, routes: [] }));
  return t.routes;
}

/** `ip route`: the default route, each link's own, and the ones added, as iproute2 prints them. */
export function routeLines(sim: Engine): string[] {
  const links = guestLinks(sim);
  if (links.length === 0) return [];
  const name = (dst: number, prefix: number) => (prefix === 32 ? dotted(dst) : `${dotted(dst)}/${prefix}`);
  const rows: [number, string][] = [
    ...links.map((l): [number, string] => [l.net, `${dotted(l.net)}/24 dev ${l.dev.devName} proto kernel scope link src ${dotted(l.self)}`]),
    ...guestRoutes(sim).map((r): [number, string] => [r.dst, `${name(r.dst, r.prefix)} via ${dotted(r.via)} dev ${r.link.dev.devName}`]),
  ];
  rows.sort((a, b) => a[0] - b[0]);
  return [`default via ${dotted(links[0].gateway)} dev ${links[0].dev.devName}`, ...rows.map(([, text]) => text)];
}

/**
 * `ip route add <dst> via <gw>`, with iproute2's and the kernel's answers: the
 * destination must be a prefix with no host bits set, the gateway an address
 * on one of the guest's links other than its own, and the route new.
 */
export function addRoute(sim: Engine, dstText: string, viaText: string): string | null {
  const [addr, bits, extra] = (dstText === 'default' ? '0.0.0.0/0' : dstText).split('/');
  const prefix = bits === undefined ? 32 : /^\d{1,2}$/.test(bits) && Number(bits) <= 32 ? Number(bits) : -1;
  if (!isIpv4(addr) || prefix < 0 || extra !== undefined) return `Error: any valid prefix is expected rather than "${dstText}".`;
  if (!isIpv4(viaText)) return `Error: inet address is expected rather than "${viaText}".`;
  const dst = toInt(addr);
  if (((dst & mask(prefix)) >>> 0) !== dst) return 'Error: Invalid prefix for given prefix length.';
  const via = toInt(viaText);
  const link = guestLinks(sim).find((l) => inPrefix(via, l.net, 24) && via !== l.self && via !== l.net && via !== l.net + 255);
  if (!link) return 'Error: Nexthop has invalid gateway.';
  const routes = guestRoutes(sim);
  // The default route and each link's own are there from boot.
  const taken = (prefix === 0) || guestLinks(sim).some((l) => prefix === 24 && dst === l.net) || routes.some((r) => r.dst === dst && r.prefix === prefix);
  if (taken) return 'RTNETLINK answers: File exists';
  routes.push({ dst, prefix, via, link });
  return null;
}

/**
 * The route the guest's kernel picks for a host, when one it added is the
 * longest match (null: the default route or a link's own, to networkd).
 * `answered`: whether anyone on that link answers for the gateway.
 */
export function addedRouteFor(sim: Engine, host: string): { route: GuestRoute; answered: boolean } | null {
  const a = toInt(addressOf(host));
  const best = guestRoutes(sim).filter((r) => inPrefix(a, r.dst, r.prefix)).sort((x, y) => y.prefix - x.prefix)[0];
  if (!best) return null;
  // Links of their own (/24) are more specific than any added route shorter than /24.
  if (best.prefix < 24 && guestLinks(sim).some((l) => inPrefix(a, l.net, 24))) return null;
  return { route: best, answered: best.via === best.link.gateway };
}
