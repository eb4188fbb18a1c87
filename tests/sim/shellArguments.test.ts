// What a command was not made to take is refused before it does anything, as a Linux console
// refuses it: extra operands, options it does not know, pipes and lists the shell does not run.
import { describe, expect, it } from 'vitest';
import { COMMANDS, commandFor } from '../../src/sim/commands/registry.ts';
import { VM_IDS } from '../../src/sim/types.ts';
import { booted, oven, run } from './helpers.ts';

/** The console's state that a refused line must leave as it was. */
function state(sim: ReturnType<typeof booted>) {
  return JSON.stringify({ status: sim.status(), now: sim.now, cwd: VM_IDS.map((vm) => sim.guests[vm].cwd) });
}

describe('shell arguments', () => {
  it('every command that takes no option refuses one more operand than it takes, and any option, and changes nothing', () => {
    const sim = booted(oven());
    const checked: string[] = [];
    for (const vm of VM_IDS) {
      for (const c of COMMANDS) {
        if (c.operands === undefined || !commandFor(vm, c.name)) continue;
        const operands = Array.from({ length: c.operands + 1 }, (_, i) => `zz${i}`);
        const before = state(sim);
        const extra = run(sim, vm, [c.name, ...operands].join(' '));
        expect(extra.text, `${vm}: ${c.name}`).toContain(`${c.name}: extra operand 'zz${c.operands}' — usage: `);
        expect(run(sim, vm, `${c.name} --zz`).text, `${vm}: ${c.name}`).toContain(`${c.name}: unrecognized option '--zz'`);
        expect(run(sim, vm, `${c.name} -z`).text, `${vm}: ${c.name}`).toContain(`${c.name}: invalid option -- 'z'`);
        expect(extra.events, `${vm}: ${c.name}`).toEqual([]);
        expect(state(sim), `${vm}: ${c.name}`).toBe(before);
        checked.push(c.name);
      }
    }
    // The rule covers the commands it was written for (a registry change that drops them fails here).
    for (const name of ['reboot', 'dmesg', 'pwd', 'cd', 'help', 'peek', 'poke', 'trace', 'ping', 'ifconfig']) expect(checked).toContain(name);
  });

  it('a typo after an attack or a VMM command does not run it: the VM keeps running', () => {
    const sim = booted(oven());
    const crash = run(sim, 'app', 'attack crash --help');
    expect(crash.text).toContain("attack crash: unrecognized option '--help' — usage: attack crash");
    expect(run(sim, 'app', 'attack hang now').text).toContain("attack hang: extra operand 'now'");
    expect(run(sim, 'app', 'attack dma-escape dma0 again').text).toContain("attack dma-escape: extra operand 'again' — usage: attack dma-escape [<master-id>]");
    const refresh = run(sim, 'system', 'vmm refresh app --parts kernel');
    expect(refresh.text).toContain("vmm: unrecognized option '--parts'");
    expect(run(sim, 'system', 'vmm stop app now').text).toContain("vmm: extra operand 'now'");
    expect(run(sim, 'system', 'vmm refresh app --part kernel extra').text).toContain("vmm: extra operand 'extra'");
    expect(run(sim, 'system', 'vmm quarantine restore a b').text).toContain("vmm: extra operand 'b'");
    expect([...crash.events, ...refresh.events]).toEqual([]);
    sim.advance(20_000);
    expect(sim.status().find((s) => s.vm === 'app')!.state).toBe('running');
    // The forms themselves still work.
    expect(run(sim, 'system', 'vmm refresh app --part kernel').text).toContain('vmm: reloading kernel of the Application VM');
  });

  it('update apply with a word after the bundle applies nothing; reboot with a word does not reboot', () => {
    const sim = booted(oven());
    const applied = run(sim, 'system', 'update apply system-os-2.0 --dry-run');
    expect(applied.text).toContain("update: unrecognized option '--dry-run' — usage: update list | update apply <bundle>");
    sim.advance(5_000);
    expect(sim.drain().events.map((e) => e.type)).not.toContain('vm.stop');
    // A mistyped bundle is no refused image: lesson 6 waits for update.rejected from a tampered one.
    const typo = run(sim, 'system', 'update apply system-os-2.0-badsg');
    expect(typo.text).toContain('update: there is no bundle named system-os-2.0-badsg — update list shows the');
    expect(typo.events).toEqual([]);
    expect(run(sim, 'app', 'update timing hold 30 min').text).toContain("update timing: extra operand 'min'");
    expect(run(sim, 'app', 'update timing hold -5').text).toContain("'-5' is not a whole number of minutes");
    expect(run(sim, 'app', 'reboot now').text).toContain("reboot: extra operand 'now' — usage: reboot");
    sim.advance(5_000);
    expect(sim.status().find((s) => s.vm === 'app')!.state).toBe('running');
  });

  it('pipes, lists and jobs are refused, not run as one command; run32 alone runs in the background', () => {
    const sim = booted(oven());
    expect(run(sim, 'system', 'ps | grep sh').text).toContain("sh: '|' is not supported: this console runs one command per line");
    expect(run(sim, 'app', 'pwd; reboot').text).toContain("sh: ';' is not supported");
    expect(run(sim, 'app', 'dmesg && reboot').text).toContain("sh: '&' is not supported");
    expect(run(sim, 'app', 'ls &').text).toContain("sh: '&' is not supported for ls: in this console only a program started with run32 runs in the background");
    expect(run(sim, 'app', 'echo "a | b; c & d"').text).toContain('a | b; c & d');
    expect(run(sim, 'app', 'run32 sum32 &').text).toMatch(/\[1\] \d+/);
    // A quoted '&' is text, not a job; where run32 is not, nothing runs in the background.
    expect(run(sim, 'app', 'run32 sum32 "&"').text).toContain('usage: run32');
    expect(run(sim, 'app', 'run32 "a|b" &').text).toContain("run32: no program 'a|b'");
    expect(run(sim, 'system', 'ls &').text).toContain("sh: '&' is not supported for ls: this console runs nothing in the background");
    // A word that holds one of them is to be quoted.
    expect(run(sim, 'system', 'wifi set HomeNet p&ss;word').text).toContain("or quote a word that holds '&' ('…') to pass it as text");
    expect(run(sim, 'system', "wifi set HomeNet 'p&ss;word'").text).toContain('credential for HomeNet stored by networkd');
    // In the real-time container, its shell task says it, as ps names it there.
    expect(run(sim, 'rt', 'ps | grep x').text).toContain("shell: '|' is not supported");
    expect(run(sim, 'rt', 'ps').text).toMatch(/\sshell$/m);
  });

  it('a quote left open refuses the line; a word that starts with # starts a comment', () => {
    const sim = booted(oven());
    expect(run(sim, 'app', 'echo "unterminated').text).toContain("sh: unterminated quoted text: the \" opened in this line is not closed");
    expect(run(sim, 'app', 'echo "unterminated').text).not.toMatch(/^unterminated$/m);
    expect(run(sim, 'app', 'pwd # where am I').text).toMatch(/^\/root$/m);
    expect(run(sim, 'app', 'echo a#b "#c"').text).toMatch(/^a#b #c$/m);
  });

  it('help <command> shows that command\'s forms, or where it is', () => {
    const sim = booted(oven());
    expect(run(sim, 'system', 'help vmm').text).toContain('vmm list');
    expect(run(sim, 'app', 'help vmm').text).toContain('help: vmm: not in the Application VM — it is a command of the System VM; type it in the System VM console');
    expect(run(sim, 'app', 'help nothing').text).toContain("help: no command 'nothing'");
  });

  it('files, network and bus commands name the word they do not take', () => {
    const sim = booted(oven());
    expect(run(sim, 'app', 'cat -n /etc/hostname').text).toContain("cat: option '-n' is not supported");
    expect(run(sim, 'app', 'rmdir -p /tmp/a').text).toContain("rmdir: option '-p' is not supported");
    expect(run(sim, 'app', 'hexdump -C /etc/hostname /etc/os-release').text).toContain("hexdump: extra operand '/etc/os-release'");
    expect(run(sim, 'app', 'hexdump /etc/hostname').text).toContain('hexdump: only the canonical layout (-C');
    expect(run(sim, 'app', 'ping -c 1 example.com').text).toContain("ping: invalid option -- 'c' — usage: ping <host>");
    expect(run(sim, 'app', 'ping -4 example.com').text).toContain("ping: invalid option -- '4'");
    expect(run(sim, 'app', 'curl --bogus http://example.com').text).toContain("curl: unrecognized option '--bogus'");
    expect(run(sim, 'app', 'curl http://a.example http://b.example').text).toContain("curl: extra operand 'http://b.example'");
    expect(run(sim, 'app', 'ip addr add 10.0.0.9/24 dev eth0').text).toContain('Command "add" is unknown, try "ip address help".');
    expect(run(sim, 'app', 'ip addr show').text).toContain('virtio-net inet');
    expect(run(sim, 'app', 'nslookup a.example 10.0.0.1 x').text).toContain("nslookup: extra operand 'x'");
    expect(run(sim, 'app', 'hping3 --rawip -c 1 example.com').text).toContain("hping3: invalid option -- 'c'");
    expect(run(sim, 'system', 'net policy x').text).toContain("usage: net policy — extra operand 'x'");
    expect(run(sim, 'app', 'wifi join HomeNet x').text).toContain("wifi join: extra operand 'x'");
    expect(run(sim, 'system', 'dma list x').text).toContain("dma: extra operand 'x'");
    expect(run(sim, 'app', 'peek app-ram 0 junk').text).toContain("peek: extra operand 'junk'");
  });
});
