// The application VM asks the system VM for its network (DOMAIN.md §1: scan
// networks, set credentials, IP settings travel over vsock), and tries to get
// around networkd (DOMAIN.md §2): a raw socket, another resolver, its own
// route. Each request is a vsock.request event and a pv transaction; each
// refusal a net.blocked event that names the mechanism.

import { refuseExtra, type CommandDef, type Shell } from '../commands/context.ts';
import { HOST_PATTERN, addressOf, isIpv4, isLoopback, matches } from '../network.ts';
import { appRoute, pathText, sendFromApp } from '../netCommands.ts';
import { addRoute, linkAddress, routeLines } from './routes.ts';
import { GUEST_LINK, NETWORKS_IN_RANGE, hostNet, policyOf, reach, systemRadio } from './hostNet.ts';
import { KINDS } from '../../model/catalog.ts';
import { appNetwork } from '../devices.ts';

const OWN = (dev: string) => `${dev} is passed through to this VM: its own driver sends, networkd in the system VM never sees this traffic and cannot refuse it`;

function wifiApp(sh: Shell, args: string[]): void {
  const [sub, ssid] = args;
  const usage = 'usage: wifi scan | wifi join <network> | wifi password <network>';
  if (sub === 'list' || sub === 'set') return sh.error(elsewhere(sub, 'Application VM', 'System VM'));
  if (!sub || !['scan', 'join', 'password'].includes(sub)) return sh.error(usage);
  if (sub !== 'scan' && !ssid) return sh.error(usage);
  if (refuseExtra(sh, `wifi ${sub}`, args.slice(1), sub === 'scan' ? 0 : 1, usage.replace('usage: ', ''))) return;
  const r = reach(sh.sim, sub === 'scan' ? 'scan' : `${sub} ${ssid}`);
  if (!r.ok) return sh.error(`wifi: ${r.error}`);
  if (!('networkd' in r)) return sh.error(`wifi: ${OWN(r.route.dev.devName)}; scan and join with its own driver (not modelled) — networkd only answers a paravirtual adapter`);
  const n = r.networkd;
  // networkd scans and joins with a Wi-Fi adapter of the system VM, if the board shares one.
  const radio = appNetwork(sh.sim.board).paravirtual.find((d) => d.kind === 'wifi');
  if (!radio) {
    const links = appNetwork(sh.sim.board).paravirtual.map((d) => `${d.id} (${KINDS[d.kind].name})`);
    const through = links.length > 1 ? `${links.slice(0, -1).join(', ')} and ${links.at(-1)}, which have` : `${links[0]}, which has`;
    return sh.error(`wifi: networkd has no Wi-Fi adapter to ${sub} with: this VM's network goes out through ${through} no SSID to scan or join — share a Wi-Fi block with the application VM for that`);
  }
  if (sub === 'scan') {
    const found = n.scan();
    const strength = new Map(NETWORKS_IN_RANGE);
    sh.print(`networkd (system VM) scanned with ${radio.id}:\n${found.map((f) => `  ${f.padEnd(14)} ${strength.get(f)} dBm${hostNet(sh.sim).credentials.has(f) ? '  credential held by the system VM' : ''}`).join('\n')}`);
    return;
  }
  if (sub === 'join') {
    const j = n.join(ssid);
    if (j.ok) hostNet(sh.sim).joined = ssid;
    return j.ok ? sh.print(`wifi: ${j.message} The application VM never received it.`) : sh.error(`wifi: ${j.message}`);
  }
  sh.error(`wifi: ${n.credential(ssid).message}`);
}

/** A form of wifi that the other Linux guest has, typed here: where to type it, as for any other guest's command (shell.ts). */
function elsewhere(sub: string, here: string, there: string): string {
  return `wifi ${sub}: not in the ${here} — it is a command of the ${there}; type it in the ${there} console`;
}

function wifiSystem(sh: Shell, args: string[]): void {
  const [sub, ssid, ...rest] = args;
  if (sub === 'scan' || sub === 'join' || sub === 'password') return sh.error(elsewhere(sub, 'System VM', 'Application VM'));
  const net = hostNet(sh.sim);
  if ((sub === 'list' || sub === 'set') && !systemRadio(sh.sim)) {
    return sh.error(`wifi ${sub}: networkd has no Wi-Fi adapter: no Wi-Fi block is assigned to the System VM or shared with the Application VM, so there is no network to join or keep a credential for`);
  }
  if (sub === 'list' && refuseExtra(sh, 'wifi list', args.slice(1), 0, 'wifi list | wifi set <network> <passphrase>')) return;
  if (sub === 'list') {
    const inRange = (name: string) => NETWORKS_IN_RANGE.some(([n]) => n === name);
    const rows = NETWORKS_IN_RANGE.map(([name]) => `  ${name.padEnd(14)} ${net.credentials.has(name) ? 'credential set' : 'no credential'}${net.joined === name ? '  (joined)' : ''}`);
    // A credential is kept for a network out of range too, as wpa_supplicant keeps its configured networks.
    const away = [...net.credentials.keys()].filter((name) => !inRange(name)).sort()
      .map((name) => `  ${name.padEnd(14)} credential set  (not in range)`);
    return sh.print(`networkd credentials (kept in the system VM, never sent to the application VM):\n${[...rows, ...away].join('\n')}`);
  }
  if (sub === 'set' && ssid && rest.length) {
    net.credentials.set(ssid, rest.join(' '));
    if (!NETWORKS_IN_RANGE.some(([name]) => name === ssid)) {
      return sh.print(`wifi: credential for ${ssid} stored by networkd, but ${ssid} is not in range (in range: ${NETWORKS_IN_RANGE.map(([n]) => n).join(', ')}), `
        + 'so the application VM cannot join it until it is');
    }
    return sh.print(`wifi: credential for ${ssid} stored by networkd; the application VM can now ask to join it (wifi join ${ssid})`);
  }
  sh.error('usage: wifi list | wifi set <network> <passphrase>');
}

function ipCommand(sh: Shell, typed: string[]): void {
  // `ip addr show` and `ip route show` are `ip addr` and `ip route`.
  const args = typed[1] === 'show' ? [typed[0]!, ...typed.slice(2)] : typed;
  const [sub, verb, dst, via, gw] = args;
  const usage = 'usage: ip addr | ip route | ip route add <destination> via <gateway>';
  // As iproute2 says it: `ip addr add …` and `ip a x` would otherwise print the addresses as if done.
  const refuse = (form: string, from: number): boolean => {
    if (args.length <= from) return false;
    sh.error(`Command "${args[from]}" is unknown, try "ip ${form} help". — ${usage}`);
    return true;
  };
  if (sub === 'addr' || sub === 'a') {
    if (refuse('address', 1)) return;
    const r = reach(sh.sim, 'ip');
    if (!r.ok) return sh.error(`ip: ${r.error}`);
    if (!('networkd' in r)) return sh.print(`${r.route.dev.devName}: ${r.route.dev.id} (passed through) — ${OWN(r.route.dev.devName)}`);
    const s = r.networkd.ipSettings();
    const joined = hostNet(sh.sim).joined;
    // Only a Wi-Fi adapter associates with a network (an SSID); Ethernet and cellular just carry the link.
    const dev = r.route.dev;
    const upstream = dev.kind === 'wifi' ? `Wi-Fi, ${joined ? `associated with ${joined}` : 'not associated'}` : KINDS[dev.kind].name;
    // The other links networkd serves (a second adapter): their own subnets, no default route.
    const others = appNetwork(sh.sim.board).paravirtual.flatMap((d, i) => (d.id === dev.id ? [] : [
      `${d.devName}: virtio-net inet ${linkAddress(i)}/24 (settings from networkd over vsock)`,
      `  upstream: ${d.id} (${d.kind === 'wifi' ? 'Wi-Fi, not associated' : KINDS[d.kind].name}), driven by the system VM`]));
    return sh.print([`${dev.devName}: virtio-net inet ${s.address} gateway ${s.gateway} dns ${s.dns} (settings from networkd over vsock)`,
      `  upstream: ${dev.id} (${upstream}), driven by the system VM`, ...others].join('\n'));
  }
  // The routing table is the guest kernel's own: listing or changing it asks nobody.
  if (sub === 'route' && verb !== undefined && verb !== 'add' && refuse('route', 1)) return;
  if (sub === 'route' && !verb) {
    const r = appRoute(sh.sim);
    if (r.kind === 'none') return sh.error(`ip: ${r.why}`);
    return sh.print(routeLines(sh.sim).join('\n'));
  }
  if (sub === 'route' && verb === 'add') {
    if (!dst || via !== 'via' || !gw || args.length > 5) return sh.error(usage);
    const refused = addRoute(sh.sim, dst, gw);
    if (refused) return sh.error(refused);
    return;
  }
  sh.error(usage);
}

function nslookupCommand(sh: Shell, args: string[]): void {
  const [name, server] = args;
  if (refuseExtra(sh, 'nslookup', args, 2, 'nslookup <host> [server]')) return;
  if (!name || !HOST_PATTERN.test(name)) return sh.error('usage: nslookup <host> [server]');
  // An address asks for its name (a PTR query), which networkd's resolver does not answer.
  if (isIpv4(name)) {
    const ptr = `${name.split('.').reverse().join('.')}.in-addr.arpa`;
    return sh.error(`nslookup: ** server can't find ${ptr}: REFUSED (networkd's resolver answers names, not reverse lookups of addresses)`);
  }
  const r = reach(sh.sim, server ? `dns ${name} @${server}` : `dns ${name}`);
  if (!r.ok) return sh.error(`nslookup: ${r.error}`);
  if (server && server !== GUEST_LINK.dns) {
    if (!('networkd' in r)) return sh.print(`Server: ${server}\nName: ${name}\nAddress: ${addressOf(name)}\n(${OWN(r.route.dev.devName)})`);
    const v = r.networkd.handle({ kind: 'dns', server, name });
    return sh.error(`nslookup: ;; connection timed out; no servers could be reached — ${v.message}`);
  }
  const blocked = blockOf(policyOf(sh.sim), name);
  if (blocked) return sh.error(`nslookup: ** server can't find ${name}: NXDOMAIN (networkd's resolver answers nothing for category ${blocked.category})`);
  sh.print(`Server: ${GUEST_LINK.dns} (networkd's resolver in the system VM)\nName: ${name}\nAddress: ${addressOf(name)}`);
}

/**
 * A connection through networkd: the egress allow-list, then the data filters,
 * TLS and the proxy. Prints the outcome; returns whether it went out.
 */
function connect(sh: Shell, cmd: string, host: string, port: number, tls: boolean, body: string, what: string): boolean {
  if (isLoopback(host)) {
    // This VM's own kernel answers on lo: no service listens there, so the connection is refused at once.
    sh.error(`${cmd}: connect to ${addressOf(host)} port ${port} failed: Connection refused (loopback: nothing in this VM listens on port ${port}, and nothing leaves the VM)`);
    return false;
  }
  const r = reach(sh.sim, `connect ${host}:${port}`);
  if (!r.ok) {
    sh.error(`${cmd}: ${r.error}`);
    return false;
  }
  let passed = '';
  const judge = 'networkd' in r ? () => {
    const v = r.networkd.handle({ kind: 'connect', host, port, tls, body });
    if (!v.allowed) return `refused by networkd (system VM): ${v.message}`;
    passed = v.message;
    return null;
  } : undefined;
  const refused = sendFromApp(sh.sim, r.route, host, what, judge);
  if (refused) {
    sh.error(`${cmd}: ${refused}`);
    return false;
  }
  sh.print(passed ? `* networkd: ${passed}` : `* ${pathText(sh.sim, r.route, host)}`);
  return true;
}

function ncCommand(sh: Shell, args: string[]): void {
  const udp = args.includes('-u');
  const [host, portText, ...data] = args.filter((a) => a !== '-u');
  const port = Number(portText);
  if (!host || !HOST_PATTERN.test(host) || !Number.isInteger(port) || port < 1 || port > 65535) return sh.error('usage: nc [-u] <host> <port> [data…]');
  if (connect(sh, 'nc', host, port, port === 443, data.join(' '), udp ? 'a UDP datagram' : 'a TCP connection')) {
    sh.print(`${udp ? 'sent' : 'connected and sent'} ${data.join(' ').length} bytes to ${host}:${port}`);
  }
}

function hping3Command(sh: Shell, args: string[]): void {
  const usage = 'hping3 --rawip <host>   (raw IP packets, built by hand on a raw socket)';
  if (refuseExtra(sh, 'hping3', args.filter((a) => a !== '--rawip'), 1, usage)) return;
  const host = args.find((a) => a !== '--rawip');
  if (!args.includes('--rawip') || !host) return sh.error(`usage: ${usage}`);
  const r = reach(sh.sim, `raw-socket ${host}`);
  if (!r.ok) return sh.error(`hping3: ${r.error}`);
  if (!('networkd' in r)) return sh.print(`HPING ${host} (raw IP mode): packets sent — ${OWN(r.route.dev.devName)}`);
  const v = r.networkd.handle({ kind: 'raw-socket' });
  // Root in the guest opens the raw socket and sends; the packets go no further than networkd.
  sh.print(`HPING ${host} (${r.route.dev.devName} ${addressOf(host)}): raw IP mode set, 20 headers + 0 data bytes\n--- ${host} hping statistic ---`);
  sh.error(`1 packets transmitted, 0 packets received, 100% packet loss — ${v.message}`);
}

function curlCommand(sh: Shell, args: string[]): void {
  let data = '';
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '-d' || args[i] === '--data') data = args[++i] ?? '';
    else rest.push(args[i]);
  }
  if (refuseExtra(sh, 'curl', rest, 1, 'curl [-d <data>] <url>')) return;
  const raw = rest[0];
  const tls = raw?.startsWith('https://') ?? false;
  const host = raw?.replace(/^https?:\/\//, '').replace(/[/:].*$/, '');
  if (!host || !HOST_PATTERN.test(host)) return sh.error(host ? `curl: (6) Could not resolve host: ${host}` : 'usage: curl [-d <data>] <url>');
  const latency = 20 + sh.sim.rng.int(0, 40);
  sh.guest.after(latency, () => {
    if (!connect(sh, 'curl', host, tls ? 443 : 80, tls, data, data ? 'an HTTP POST' : 'an HTTP request')) return;
    sh.print(`HTTP/1.1 200 OK\n{"host":"${host}","status":"ok"${data ? `,"received":${data.length}` : ''}}`);
  });
}

/** The block entry that refuses `name` (networkd checks the blocks before the allow-list: network.ts classify). */
function blockOf(p: ReturnType<typeof policyOf>, name: string) {
  return p.block.find((b) => matches(b.pattern, name.toLowerCase()));
}
/** The allow entries that a block covers, in part or whole: what they allow is blocked first. */
const overridden = (p: ReturnType<typeof policyOf>) =>
  p.allow.filter((a) => p.block.some((b) => matches(b.pattern, a.replace(/^\*\./, '')) || matches(a, b.pattern.replace(/^\*\./, ''))));

function netPolicyCommand(sh: Shell, args: string[]): void {
  if (args[0] !== 'policy' || args.length > 1) return sh.error(`usage: net policy${args.length > 1 ? ` — extra operand '${args[1]}'` : ''}`);
  const p = policyOf(sh.sim);
  const d = (k: string) => (p.defaults.includes(k) ? '  (networkd default; set it in /etc/networkd/egress.conf)' : '');
  sh.print([
    'networkd policy for the application VM (/etc/networkd/egress.conf):',
    `  allow        ${p.allow.join(', ') || '(none)'}`,
    `  block        ${p.block.map((b) => `${b.pattern} (${b.category})`).join(', ') || '(none)'}`,
    `  filter       ${p.filters.join(', ') || 'none'}${d('filters')}`,
    `  encrypt      ${p.encrypt.join(', ') || 'none'}${d('encrypt')}`,
    `  require-tls  ${p.requireTls.join(', ') || 'none'}`,
    `  proxy        ${p.proxy.map((x) => `${x.host} via ${x.via}`).join(', ') || 'none'}${d('proxy')}`,
    // A host both allowed and blocked: which wins is not for the reader to guess.
    ...overridden(p).map((a) => `  ${a} is allowed, and blocked where a block covers it: blocked (the blocks are checked first)`),
  ].join('\n'));
}

export const NET_COMMANDS: CommandDef[] = [
  { name: 'wifi', where: ['app', 'system'], usage: 'wifi scan | wifi join <network> | wifi password <network>',
    help: 'ask networkd over vsock to scan or join; the credential stays in the system VM',
    helpIn: { system: { usage: 'wifi list | wifi set <network> <passphrase>', help: 'the Wi-Fi credentials networkd keeps; the application VM never sees them' } },
    run: (sh, args) => (sh.vm === 'system' ? wifiSystem(sh, args) : wifiApp(sh, args)) },
  { name: 'ip', where: ['app'], usage: 'ip addr | ip route [add <dst> via <gw>]', help: 'IP settings (asked of networkd over vsock) and routes', run: ipCommand },
  { name: 'nslookup', where: ['app'], usage: 'nslookup <host> [server]', help: 'resolve a name (through networkd\'s resolver)', run: nslookupCommand },
  { name: 'nc', where: ['app'], usage: 'nc [-u] <host> <port> [data…]', help: 'send data to a host (networkd filters it)', run: ncCommand },
  { name: 'hping3', where: ['app'], usage: 'hping3 --rawip <host>', help: 'send raw IP packets (needs a raw socket)', run: hping3Command },
  { name: 'net', where: ['system'], usage: 'net policy', help: 'networkd\'s policy for the application VM: filters, TLS, proxy', run: netPolicyCommand },
];

export const NET_CURL: CommandDef = { name: 'curl', where: ['app'], usage: 'curl [-d <data>] <url>', help: 'fetch from (or post to) a host, through networkd\'s policy', run: curlCommand };
