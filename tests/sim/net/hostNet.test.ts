import { describe, expect, it } from 'vitest';
import type { Component } from '../../../src/model/types.ts';
import { Simulation, stripAnsi } from '../../../src/sim/index.ts';
import { booted, makeBoard, run } from '../helpers.ts';

const board = (wifi: 'shared' | 'app' = 'shared') => makeBoard([
  { id: 'uart0', kind: 'uart', domain: 'app' },
  { id: 'wifi0', kind: 'wifi', domain: wifi },
  { id: 'flash0', kind: 'flash', domain: 'shared' },
  { id: 'sec0', kind: 'security-processor', domain: 'system' },
] as Component[]);

const PASSPHRASE = 'correct horse battery staple';

function runAll(sim: Simulation, vm: 'app' | 'system', line: string) {
  sim.exec(vm, line);
  sim.settle();
  const out = sim.drain();
  return { ...out, text: out.console.filter((c) => c.vm === vm).map((c) => stripAnsi(c.text)).join('') };
}

describe('the application VM asks networkd over vsock; the credential stays in the system VM', () => {
  it('wifi scan and join are vsock requests (event and pv transactions), and the passphrase never reaches the guest', () => {
    const sim = booted(board());
    const scan = runAll(sim, 'app', 'wifi scan');
    expect(scan.text).toMatch(/kitchen\s+-48 dBm\s+credential held by the system VM/);
    expect(scan.events).toEqual([expect.objectContaining({ type: 'vsock.request', vm: 'app', op: 'scan', request: 'scan', verdict: 'ok' })]);
    expect(scan.transactions.some((t) => t.master === 'cpu:app' && t.target === 'pv-buffers' && t.op === 'write')).toBe(true);
    expect(scan.transactions.some((t) => t.master === 'cpu:system' && t.target === 'pv-buffers' && t.op === 'read')).toBe(true);
    const all = [scan, runAll(sim, 'app', 'wifi join kitchen'), runAll(sim, 'app', 'wifi password kitchen'), runAll(sim, 'app', 'ip addr')];
    expect(all[1].text).toContain('Joined kitchen with the credential held by the system VM');
    expect(all[2].text).toContain('never given to the application VM');
    expect(all[2].events[0]).toMatchObject({ type: 'vsock.request', op: 'credential', verdict: 'refused' });
    expect(all[3].text).toContain('inet 10.0.2.15/24 gateway 10.0.2.2');
    for (const o of all) expect(JSON.stringify(o)).not.toContain(PASSPHRASE);
  });

  it('a network without a credential is refused until the system VM sets one', () => {
    const sim = booted(board());
    expect(run(sim, 'app', 'wifi join oven-guest').text).toContain('No credential for oven-guest');
    // The system VM's forms typed in the application VM, and the other way round, say where to type them.
    expect(run(sim, 'app', 'wifi set oven-guest x').text).toContain('wifi set: not in the Application VM — it is a command of the System VM; type it in the System VM console');
    expect(run(sim, 'app', 'wifi list').text).toContain('wifi list: not in the Application VM — it is a command of the System VM');
    expect(run(sim, 'system', 'wifi scan').text).toContain('wifi scan: not in the System VM — it is a command of the Application VM; type it in the Application VM console');
    expect(run(sim, 'app', 'wifi frobnicate').text).toContain('usage: wifi scan');
    run(sim, 'system', 'wifi set oven-guest hunter22');
    const j = runAll(sim, 'app', 'wifi join oven-guest');
    expect(j.text).toContain('Joined oven-guest');
    expect(j.text).not.toContain('hunter22');
    expect(run(sim, 'system', 'wifi list').text).toMatch(/oven-guest\s+credential set\s+\(joined\)/);
  });

  it('a credential for a network out of range is kept and listed, and setting it promises no join', () => {
    const sim = booted(board());
    const set = run(sim, 'system', 'wifi set guest hunter22').text;
    expect(set).toContain('credential for guest stored by networkd, but guest is not in range (in range: kitchen, oven-guest, neighbour-5G)');
    expect(set).not.toContain('can now ask to join');
    expect(run(sim, 'system', 'wifi list').text).toMatch(/guest\s+credential set\s+\(not in range\)/);
    const far = run(sim, 'app', 'wifi join guest');
    expect(far.text).toContain('no network guest in range');
    // Asked over vsock all the same: networkd, which scans, is the one to say so.
    expect(far.events).toEqual([expect.objectContaining({ type: 'vsock.request', op: 'join', verdict: 'refused', request: 'join guest' })]);
  });

  it('with the system VM down, nobody answers the request', () => {
    const sim = booted(board());
    sim.stopVm('system');
    sim.drain();
    const r = runAll(sim, 'app', 'wifi scan');
    expect(r.text).toContain('networkd unreachable over vsock: the system VM is stopped');
    expect(r.events).toEqual([expect.objectContaining({ type: 'vsock.request', verdict: 'no-answer' })]);
  });
});

describe('the paravirtual devices are named as the virtio device types they are', () => {
  it('dmesg and /dev name virtio-blk and virtio-net, served by storaged and networkd; ifconfig shows the virtqueue path', () => {
    const sim = booted(board());
    const dmesg = run(sim, 'app', 'dmesg').text;
    expect(dmesg).toContain('vda: flash0 Flash — paravirtual (virtio-blk, its virtqueues served by storaged in the system VM)');
    expect(dmesg).toContain('eth0: wifi0 Wi-Fi — paravirtual (virtio-net, its virtqueues served by networkd in the system VM)');
    expect(dmesg).not.toContain('paravirtual over vsock');
    expect(run(sim, 'app', 'ifconfig').text).toContain('app-vm eth0 → virtqueue → networkd (system VM) → wifi0');
  });

  it('an Ethernet upstream joins no network: ip addr says Ethernet, wifi scan says there is no Wi-Fi adapter to scan with', () => {
    const sim = booted(makeBoard([{ id: 'eth0', kind: 'ethernet', domain: 'shared' }], { soc: 'gateway-a53', systemMiB: 256, appMiB: 512 }));
    const scan = run(sim, 'app', 'wifi join kitchen').text;
    expect(scan).toContain('wifi: networkd has no Wi-Fi adapter to join with: this VM\'s network goes out through eth0 (Ethernet)');
    const ip = run(sim, 'app', 'ip addr').text;
    expect(ip).toContain('upstream: eth0 (Ethernet), driven by the system VM');
    expect(ip).not.toContain('joined');
    expect(scan).toContain('eth0 (Ethernet), which has no SSID');
  });

  it('without a Wi-Fi block, the system VM lists no credential and joined network: networkd has no adapter', () => {
    const sim = booted(makeBoard([{ id: 'eth0', kind: 'ethernet', domain: 'shared' }], { soc: 'gateway-a53', systemMiB: 256, appMiB: 512 }));
    for (const line of ['wifi list', 'wifi set guest hunter22']) {
      const text = run(sim, 'system', line).text;
      expect(text).toContain(`${line.split(' ').slice(0, 2).join(' ')}: networkd has no Wi-Fi adapter: no Wi-Fi block is assigned to the System VM or shared`);
      expect(text).not.toMatch(/joined|credential set/);
    }
    // With one, as before: the home network's credential, and the adapter joined to it.
    expect(run(booted(board()), 'system', 'wifi list').text).toContain('kitchen        credential set  (joined)');
  });

  it('with two upstreams and no Wi-Fi, wifi scan names both, in a sentence', () => {
    const sim = booted(makeBoard([{ id: 'eth0', kind: 'ethernet', domain: 'shared' }, { id: 'modem0', kind: 'cellular', domain: 'shared' }], { soc: 'gateway-a53', systemMiB: 256, appMiB: 512 }));
    expect(run(sim, 'app', 'wifi scan').text).toContain('goes out through eth0 (Ethernet) and modem0 (Cellular), which have no SSID to scan or join');
  });

  it('on Wi-Fi, ip addr says which network the adapter is associated with', () => {
    const sim = booted(board());
    expect(run(sim, 'app', 'ip addr').text).toContain('upstream: wifi0 (Wi-Fi, associated with kitchen)');
    run(sim, 'system', 'wifi set oven-guest hunter22');
    run(sim, 'app', 'wifi join oven-guest');
    expect(run(sim, 'app', 'ip addr').text).toContain('upstream: wifi0 (Wi-Fi, associated with oven-guest)');
  });
});

describe('networkd\'s policy, and the guest cannot get around it', () => {
  it.each([
    ['hping3 --rawip evil.example', 'raw-socket', /raw IP mode set[^]*100% packet loss — Raw IP packets dropped: the guest may open a raw socket on its virtio-net link, but networkd/],
    ['nslookup evil.example 8.8.8.8', 'dns', /DNS query to 8\.8\.8\.8 refused: names are resolved by networkd's resolver/],
  ])('%s is refused and explained (net.blocked %s)', (line, reason, why) => {
    const sim = booted(board());
    const r = runAll(sim, 'app', line);
    expect(r.text).toMatch(why);
    expect(r.events).toEqual([expect.objectContaining({ type: 'net.blocked', vm: 'app', reason })]);
  });

  it('with the adapter passed through, the same tricks work: no networkd in the path', () => {
    const sim = booted(board('app'));
    // ifconfig and ip route name the same link: the adapter's own, on the real network.
    expect(runAll(sim, 'app', 'ifconfig').text).toContain('inet 192.168.1.41/24');
    expect(runAll(sim, 'app', 'ip route').text).toContain('default via 192.168.1.1 dev wlan0\n192.168.1.0/24 dev wlan0 proto kernel scope link src 192.168.1.41');
    for (const line of ['hping3 --rawip evil.example', 'nslookup evil.example 8.8.8.8']) {
      const r = runAll(sim, 'app', line);
      expect(r.text).toContain('networkd in the system VM never sees this traffic');
      expect(r.events.filter((e) => e.type === 'net.blocked')).toEqual([]);
    }
  });

  it('the guest may add routes of its own (its kernel\'s table, until its next boot), but one past networkd reaches nothing: net.blocked route', () => {
    const sim = booted(board());
    // iproute2's and the kernel's own refusals: a gateway off every link, host bits set, a route that exists.
    expect(runAll(sim, 'app', 'ip route add 0.0.0.0/1 via 192.168.1.1').text).toContain('Error: Nexthop has invalid gateway.');
    expect(runAll(sim, 'app', 'ip route add 0.0.0.0/1 via 10.0.2.15').text).toContain('Error: Nexthop has invalid gateway.');
    expect(runAll(sim, 'app', 'ip route add 203.0.113.7/24 via 10.0.2.99').text).toContain('Error: Invalid prefix for given prefix length.');
    expect(runAll(sim, 'app', 'ip route add default via 10.0.2.99').text).toContain('RTNETLINK answers: File exists');
    expect(runAll(sim, 'app', 'ip route add evil via 10.0.2.99').text).toContain('Error: any valid prefix is expected rather than "evil".');
    // A new route is accepted in silence, asks networkd nothing, and is listed.
    const add = runAll(sim, 'app', 'ip route add 203.0.113.0/24 via 10.0.2.99');
    expect(stripAnsi(add.text)).toBe('ip route add 203.0.113.0/24 via 10.0.2.99\nroot@app-vm:~# ');
    expect(add.events).toEqual([]);
    expect(runAll(sim, 'app', 'ip route').text).toContain('203.0.113.0/24 via 10.0.2.99 dev eth0');
    // Every name resolves into 203.0.113.0/24: the route now takes all web traffic to a gateway nobody is.
    const ping = runAll(sim, 'app', 'ping time.example');
    expect(ping.text).toContain('time.example: Destination Host Unreachable (no answer to ARP for 10.0.2.99 on eth0)');
    expect(ping.text).toContain('--- time.example: 3 sent, 0 received');
    expect(ping.events.filter((e) => e.type === 'net.blocked')).toEqual(Array(3).fill(expect.objectContaining({ reason: 'route', host: 'time.example', gateway: '10.0.2.99' })));
    // Nothing reached the adapter: networkd read the frames and had no one to hand them to.
    expect(ping.transactions.some((t) => t.master === 'cpu:system' && t.target === 'wifi0')).toBe(false);
    // A route via networkd itself ends where the default route does.
    const sim2 = booted(board());
    runAll(sim2, 'app', 'ip route add 203.0.113.0/24 via 10.0.2.2');
    expect(runAll(sim2, 'app', 'ping time.example').text).toMatch(/64 bytes from 203\.0\.113\.\d+: icmp_seq=1/);
    // The table is kernel state: gone after a refresh.
    run(sim, 'system', 'vmm refresh app');
    sim.settle();
    expect(runAll(sim, 'app', 'ip route').text).not.toContain('10.0.2.99');
  });

  it('a card number (passing Luhn) is blocked before it reaches the adapter; other digits go out', () => {
    const sim = booted(board());
    const bad = runAll(sim, 'app', 'nc time.example 443 card 4111 1111 1111 1111');
    expect(bad.text).toContain('it contains a card-number');
    expect(bad.events).toEqual([expect.objectContaining({ type: 'net.blocked', reason: 'sensitive-data', rule: 'card-number', host: 'time.example' })]);
    expect(bad.transactions.some((t) => t.target === 'wifi0')).toBe(false);
    const ok = runAll(sim, 'app', 'nc time.example 443 order 4111 1111 1111 1112');
    expect(ok.text).toContain('connected and sent');
    expect(ok.transactions.some((t) => t.master === 'cpu:system' && t.target === 'wifi0' && t.op === 'write')).toBe(true);
    // The system VM's administrator can turn the filter off; the guest cannot.
    run(sim, 'system', 'echo "filter none" >> /etc/networkd/egress.conf');
    expect(run(sim, 'app', 'nc time.example 443 card 4111 1111 1111 1111').text).toContain('connected and sent');
  });

  it('networkd encrypts plain text to the vendor, sends updates through the proxy, and refuses plain text where TLS is required', () => {
    const sim = booted(board());
    expect(run(sim, 'app', 'curl api.vendor.example').text).toContain('api.vendor.example:443 over TLS opened by networkd for the guest\'s plain-text request');
    expect(run(sim, 'app', 'curl https://updates.vendor.example').text).toContain('through the proxy proxy.vendor.example:3128');
    run(sim, 'system', 'echo "require-tls time.example" >> /etc/networkd/egress.conf');
    const r = runAll(sim, 'app', 'curl time.example');
    expect(r.text).toContain('Plain-text connection to time.example:80 refused');
    expect(r.events).toEqual([expect.objectContaining({ type: 'net.blocked', reason: 'plaintext' })]);
    expect(run(sim, 'app', 'curl https://time.example').text).toContain('200 OK');
    expect(run(sim, 'system', 'net policy').text).toMatch(/require-tls\s+time\.example/);
  });

  it('net policy says which wins for a host both allowed and blocked, as a connection finds it', () => {
    const sim = booted(board());
    expect(run(sim, 'system', 'net policy').text).not.toContain('is allowed, and blocked');
    run(sim, 'system', 'echo "block api.vendor.example lab" >> /etc/networkd/egress.conf');
    expect(run(sim, 'system', 'net policy').text).toContain('api.vendor.example is allowed, and blocked where a block covers it: blocked (the blocks are checked first)');
    expect(run(sim, 'app', 'curl https://api.vendor.example').text).toContain('refused by networkd (system VM): api.vendor.example — category lab');
    // A wildcard block covers the domain itself too, as networkd matches it: nslookup finds nothing there either.
    run(sim, 'system', 'echo "allow vendor.example" >> /etc/networkd/egress.conf');
    run(sim, 'system', 'echo "block *.vendor.example lab2" >> /etc/networkd/egress.conf');
    expect(run(sim, 'system', 'net policy').text).toContain('vendor.example is allowed, and blocked where a block covers it');
    expect(run(sim, 'app', 'nslookup vendor.example').text).toContain("server can't find vendor.example: NXDOMAIN");
  });

  it('same board, script and seed: the same bytes', () => {
    const go = () => {
      const sim = new Simulation(board(), { seed: 3 });
      sim.powerOn();
      sim.settle();
      for (const l of ['wifi scan', 'wifi join kitchen', 'nc time.example 443 4111111111111111', 'curl -d x https://api.vendor.example', 'nslookup a.example 1.1.1.1']) sim.exec('app', l);
      sim.settle();
      const out = sim.drain();
      return JSON.stringify([out.console, out.events, out.transactions]);
    };
    expect(go()).toBe(go());
  });
});

describe('addresses are not names', () => {
  it('the loopback is answered by the VM itself: no device, no networkd, no bus transaction, no event', () => {
    const sim = booted(board());
    for (const host of ['127.0.0.1', 'localhost']) {
      const r = runAll(sim, 'app', `ping ${host}`);
      expect(r.text).toContain(`PING ${host} (127.0.0.1)\n  path: app-vm lo (loopback)`);
      expect(r.text).toContain(`--- ${host}: 3 sent, 3 received`);
      expect(r.transactions).toEqual([]);
      expect(r.events).toEqual([]);
    }
    for (const line of ['curl http://127.0.0.1/', 'nc 127.0.0.1 22 hello']) {
      const r = runAll(sim, 'app', line);
      expect(r.text).toMatch(/connect to 127\.0\.0\.1 port (80|22) failed: Connection refused/);
      expect(r.events).toEqual([]);
    }
  });

  it('an IPv4 address is used as it is: ping shows it, asks no resolver, and without the system VM gets no reply', () => {
    const sim = booted(board());
    expect(runAll(sim, 'app', 'ping 8.8.8.8').text).toContain('PING 8.8.8.8 (8.8.8.8)');
    expect(runAll(sim, 'app', 'nslookup 8.8.8.8').text).toContain("** server can't find 8.8.8.8.in-addr.arpa: REFUSED");
    sim.stopVm('system');
    sim.drain();
    const down = runAll(sim, 'app', 'ping 8.8.8.8');
    expect(down.text).not.toContain('name resolution');
    expect(down.text).toContain('--- 8.8.8.8: 3 sent, 0 received (networkd does not read the virtqueue: the system VM is stopped)');
    expect(down.events.filter((e) => e.type === 'vsock.request')).toEqual([]);
    // A name still needs the resolver first.
    expect(runAll(sim, 'app', 'ping example.com').text).toContain('Temporary failure in name resolution');
  });
});
