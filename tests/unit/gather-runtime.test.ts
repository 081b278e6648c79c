// The runtime probe (GSD804, GSD608) against fake trees and a fake exec: the memory cgroup of
// /proc/self/cgroup (v1 and v2) and its files, the kernel log narrowed to the OOM killer's lines
// (and a refused dmesg kept as it came), gopls's output logs under VS Code's exthost log dir
// (newest first, tails cut at a line boundary), and the macOS branch (xcode-select,
// DevToolsSecurity, debugserver paths), which never runs on Linux. Then a snapshot gathered from
// the same trees goes through the engine.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { CommandRun } from '../../extension/src/engine/generated/CommandRun';
import { runEngine } from '../../extension/src/engine/index';
import type { Exec } from '../../extension/src/gather/exec';
import { CLT_DEBUGSERVER, goplsLogs, KERNEL_LINES_CAP, LOG_TAIL_BYTES, memoryCgroup, oomLines, probeRuntime, oomKillCount } from '../../extension/src/gather/probes/runtime';
import { gatherSnapshot } from '../../extension/src/gather/snapshot';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'gsd-runtime-')));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(p: string, text: string): string {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

function out(argv: string[], stdout: string, exitCode = 0, stderr = ''): CommandRun {
  return { argv, envOverrides: {}, stdout, stderr, exitCode, timedOut: false, timeoutMs: 3000, truncated: false, durationMs: 1 };
}

// Recorded on this project's machine: a real gopls v0.16.1 OOM-killed in a 48 MiB memory cgroup
// (cgroup v1), between unrelated kernel lines.
const DMESG = [
  '[    1.300615] random: crng reseeded due to virtual machine fork',
  '[10767.756201] cc1 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0',
  '[10767.818642] memory: usage 49152kB, limit 49152kB, failcnt 11811198',
  '[10767.818949] [  13954]     0 13954    11183     3233      576     2657         0   110592        0             0 cc1',
  '[10767.818952] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/gsd-oomtry-6463,task_memcg=/gsd-oomtry-6463,task=gopls,pid=13624,uid=0',
  '[10767.818986] Memory cgroup out of memory: Killed process 13624 (gopls) total-vm:1693228kB, anon-rss:5120kB, file-rss:14664kB, shmem-rss:0kB, UID:0 pgtables:192kB oom_score_adj:0',
  '[10800.000000] EXT4-fs (vda): mounted filesystem',
].join('\n');

describe('runtime probe', () => {
  test('the memory cgroup line: v1 memory hierarchy first, else v2', () => {
    assert.deepEqual(memoryCgroup('9:name=systemd:/\n4:memory:/process_api/ad64\n0::/\n'), { path: '/process_api/ad64', v1: true });
    assert.deepEqual(memoryCgroup('0::/user.slice/user-1000.slice/user@1000.service/app.slice/app-code-1.scope\n'), {
      path: '/user.slice/user-1000.slice/user@1000.service/app.slice/app-code-1.scope',
      v1: false,
    });
    assert.deepEqual(memoryCgroup('5:cpu,memory:/docker/abc\n'), { path: '/docker/abc', v1: true });
    assert.equal(memoryCgroup('garbage\n'), undefined);
  });

  test('oomLines keeps only the OOM killer lines, the last ones', () => {
    assert.equal(oomLines(DMESG).split('\n').filter(Boolean).length, 3);
    const many = Array.from({ length: 500 }, (_, i) => `[${i}.0] Out of memory: Killed process ${i} (x)`).join('\n');
    const kept = oomLines(many).split('\n').filter(Boolean);
    assert.equal(kept.length, KERNEL_LINES_CAP);
    assert.match(kept[kept.length - 1], /Killed process 499 /);
  });

  test('Linux v1: cgroup files, dmesg narrowed, uptime; no macOS command is run', async () => {
    const root = path.join(tmp, 'v1');
    const proc = path.join(root, 'proc');
    write(path.join(proc, 'self/cgroup'), '9:name=systemd:/\n4:memory:/gsd-oomtry-6463\n0::/\n');
    write(path.join(proc, 'uptime'), '10891.51 5651.46\n');
    const cg = path.join(root, 'cgroup');
    write(path.join(cg, 'memory/gsd-oomtry-6463/memory.limit_in_bytes'), '50331648\n');
    write(path.join(cg, 'memory/gsd-oomtry-6463/memory.oom_control'), 'oom_kill_disable 0\nunder_oom 0\noom_kill 3\n');
    const calls: string[][] = [];
    const exec: Exec = async (argv) => {
      calls.push(argv);
      return out(argv, DMESG + '\n');
    };
    const facts = await probeRuntime({ platform: 'linux', procRoot: proc, cgroupRoot: cg, env: {}, exec, timeoutMs: 3000, foreign: true });
    assert.deepEqual(calls, [['dmesg']]);
    assert.equal(facts.host.cgroup, '9:name=systemd:/\n4:memory:/gsd-oomtry-6463\n0::/\n');
    assert.deepEqual(
      facts.host.cgroupMemory?.map((f) => [path.relative(cg, f.path), f.text]),
      [
        ['memory/gsd-oomtry-6463/memory.limit_in_bytes', '50331648\n'],
        ['memory/gsd-oomtry-6463/memory.oom_control', 'oom_kill_disable 0\nunder_oom 0\noom_kill 3\n'],
      ],
    );
    assert.equal(facts.host.uptime, '10891.51 5651.46\n');
    assert.equal(facts.host.kernelLog?.exitCode, 0);
    assert.doesNotMatch(facts.host.kernelLog?.stdout ?? '', /crng|EXT4|\bcc1$/m);
    assert.match(facts.host.kernelLog?.stdout ?? '', /Killed process 13624 \(gopls\)/);
    assert.equal(facts.host.xcodeSelect, undefined);
    assert.equal(facts.languageServerLogs, undefined, 'no exthost log dir outside VS Code');
  });

  test('Linux v2 (unified under /sys/fs/cgroup/unified) and a refused dmesg kept as it came', async () => {
    const root = path.join(tmp, 'v2');
    const proc = path.join(root, 'proc');
    const scope = '/user.slice/user-1000.slice/user@1000.service/app.slice/app-code-1.scope';
    write(path.join(proc, 'self/cgroup'), `0::${scope}\n`);
    const cg = path.join(root, 'cgroup');
    write(path.join(cg, 'unified', scope, 'memory.max'), 'max\n');
    write(path.join(cg, 'unified', scope, 'memory.events'), 'low 0\nhigh 0\nmax 12\noom 2\noom_kill 2\noom_group_kill 0\n');
    const refused = 'dmesg: read kernel buffer failed: Operation not permitted\n';
    const exec: Exec = async (argv) => out(argv, '', 1, refused);
    const facts = await probeRuntime({ platform: 'linux', procRoot: proc, cgroupRoot: cg, env: {}, exec, timeoutMs: 3000, foreign: true });
    assert.deepEqual(
      facts.host.cgroupMemory?.map((f) => path.basename(f.path)),
      ['memory.max', 'memory.events'],
    );
    assert.equal(facts.host.kernelLog?.exitCode, 1);
    assert.equal(facts.host.kernelLog?.stderr, refused);
  });

  test('a cgroup that counts no OOM kill: dmesg is not run; an unreadable counter: it is', async () => {
    const root = path.join(tmp, 'nokill');
    const proc = path.join(root, 'proc');
    write(path.join(proc, 'self/cgroup'), '0::/app.slice/code.scope\n');
    const cg = path.join(root, 'cgroup');
    write(path.join(cg, 'app.slice/code.scope/memory.max'), 'max\n');
    write(path.join(cg, 'app.slice/code.scope/memory.events'), 'low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0\n');
    const calls: string[][] = [];
    const exec: Exec = async (argv) => {
      calls.push(argv);
      return out(argv, DMESG + '\n');
    };
    const quiet = await probeRuntime({ platform: 'linux', procRoot: proc, cgroupRoot: cg, env: {}, exec, timeoutMs: 3000, foreign: true });
    assert.deepEqual(calls, []);
    assert.equal(quiet.host.kernelLog, undefined);
    assert.equal(oomKillCount(quiet.host.cgroupMemory ?? []), 0);
    // No memory files (the root cgroup, or an unreadable tree): the counter is unknown, so read the log.
    write(path.join(root, 'proc2/self/cgroup'), '0::/\n');
    const unknown = await probeRuntime({ platform: 'linux', procRoot: path.join(root, 'proc2'), cgroupRoot: path.join(root, 'none'), env: {}, exec, timeoutMs: 3000, foreign: true });
    assert.deepEqual(calls, [['dmesg']]);
    assert.match(unknown.host.kernelLog?.stdout ?? '', /Killed process 13624 \(gopls\)/);
  });

  test('gopls output logs: newest output_logging dir first, gopls channels only, tail at a line boundary', async () => {
    const exthost = path.join(tmp, 'logs/20261126T101500/window1/exthost');
    write(path.join(exthost, 'go-setup-doctor.go-setup-doctor/Go Setup Doctor.log'), 'ours\n');
    write(path.join(exthost, 'output_logging_20261126T101502/1-Go.log'), 'not gopls\n');
    write(path.join(exthost, 'output_logging_20261126T101502/2-gopls (server).log'), '[Info  - 10:15:03 AM] old session\n');
    const big = 'x'.repeat(100) + '\n';
    write(
      path.join(exthost, 'output_logging_20261126T113000/3-gopls (server).log'),
      big.repeat(1000) + '[Error - 11:31:00 AM] Server process exited with signal SIGKILL.\n',
    );
    write(path.join(exthost, 'output_logging_20261126T113000/4-gopls.log'), '[Trace - 11:30:01 AM] Sending request\n');
    const logs = await goplsLogs(exthost);
    assert.deepEqual(
      logs.map((l) => path.relative(exthost, l.path)),
      ['output_logging_20261126T113000/3-gopls (server).log', 'output_logging_20261126T113000/4-gopls.log', 'output_logging_20261126T101502/2-gopls (server).log'],
    );
    assert.ok(logs[0].size > LOG_TAIL_BYTES);
    assert.ok(logs[0].text.length <= LOG_TAIL_BYTES);
    assert.match(logs[0].text, /^x+\n/, 'starts at a line boundary');
    assert.match(logs[0].text, /exited with signal SIGKILL\.\n$/);
    assert.deepEqual(await goplsLogs(path.join(tmp, 'missing')), []);
  });

  test('macOS branch (fake exec): xcode-select -p, DevToolsSecurity -status, debugserver paths', async () => {
    const root = path.join(tmp, 'mac');
    write(path.join(root, CLT_DEBUGSERVER), '');
    const calls: string[][] = [];
    const exec: Exec = async (argv) => {
      calls.push(argv);
      if (argv[0] === '/usr/bin/xcode-select') return out(argv, '/Applications/Xcode.app/Contents/Developer\n');
      return out(argv, 'Developer mode is currently disabled.\n');
    };
    const facts = await probeRuntime({ platform: 'darwin', fsRoot: root, env: {}, exec, timeoutMs: 3000, foreign: true });
    assert.deepEqual(calls.sort(), [['/usr/bin/xcode-select', '-p'], ['/usr/sbin/DevToolsSecurity', '-status']]);
    assert.equal(facts.host.devToolsSecurity?.stdout, 'Developer mode is currently disabled.\n');
    assert.deepEqual(facts.host.debugservers, [
      { path: CLT_DEBUGSERVER, exists: true },
      { path: '/Applications/Xcode.app/Contents/SharedFrameworks/LLDB.framework/Versions/A/Resources/debugserver', exists: false },
    ]);
    assert.equal(facts.host.cgroup, undefined);
    // xcode-select failing: only the Command Line Tools location is looked at.
    const failing: Exec = async (argv) =>
      argv[0] === '/usr/bin/xcode-select'
        ? out(argv, '', 2, 'xcode-select: error: unable to get active developer directory, use `sudo xcode-select --switch path/to/Xcode.app` to set one (or see `man xcode-select`)\n')
        : out(argv, 'Developer mode is currently enabled.\n');
    const f2 = await probeRuntime({ platform: 'darwin', fsRoot: path.join(tmp, 'empty'), env: {}, exec: failing, timeoutMs: 3000, foreign: true });
    assert.deepEqual(f2.host.debugservers, [{ path: CLT_DEBUGSERVER, exists: false }]);
    assert.equal(f2.host.xcodeSelect?.exitCode, 2);
  });

  test('the macOS branch never runs on another OS unless a test asks for it', { skip: process.platform === 'darwin' && 'on macOS it runs' }, async () => {
    const calls: string[][] = [];
    const exec: Exec = async (argv) => {
      calls.push(argv);
      return out(argv, '');
    };
    const facts = await probeRuntime({ platform: 'darwin', env: {}, exec, timeoutMs: 3000 });
    assert.deepEqual(calls, []);
    assert.deepEqual(facts.host, {});
  });

  test('through gatherSnapshot and the engine: GSD804 from the fake cgroup, kernel log and gopls log', async () => {
    const root = path.join(tmp, 'gather');
    const proc = path.join(root, 'proc');
    write(path.join(proc, 'self/cgroup'), '4:memory:/gsd-oomtry-6463\n0::/\n');
    write(path.join(proc, 'uptime'), '10891.51 5651.46\n');
    const cg = path.join(root, 'cgroup');
    write(path.join(cg, 'memory/gsd-oomtry-6463/memory.limit_in_bytes'), '50331648\n');
    write(path.join(cg, 'memory/gsd-oomtry-6463/memory.oom_control'), 'oom_kill_disable 0\nunder_oom 0\noom_kill 3\n');
    const exthost = path.join(root, 'logs/1/window1/exthost');
    write(path.join(exthost, 'output_logging_1/2-gopls (server).log'), '[Error - 11:31:00 AM] Server process exited with signal SIGKILL.\n');
    const ws = path.join(root, 'ws');
    write(path.join(ws, 'go.mod'), 'module example.com/ws\n\ngo 1.22\n');
    const snap = await gatherSnapshot({
      folders: [ws],
      layers: [],
      env: { HOME: path.join(root, 'home'), PATH: '/nonexistent' },
      exec: async (argv, o) => (argv[0] === 'dmesg' ? out(argv, DMESG) : { ...out(argv, '', 1, 'not run in this test'), timeoutMs: o.timeoutMs }),
      cache: null,
      platform: 'linux',
      procRoot: proc,
      cgroupRoot: cg,
      exthostLogDir: exthost,
    });
    assert.equal(snap.languageServerLogs?.length, 1);
    const f = runEngine(snap).findings.find((x) => x.code === 'GSD804');
    assert.ok(f, 'GSD804 fires');
    assert.equal(f.title, "gopls was killed by the kernel's OOM killer (pid 13624)");
    assert.ok(f.evidence.some((e) => e.endsWith('2-gopls (server).log: [Error - 11:31:00 AM] Server process exited with signal SIGKILL.')), f.evidence.join('\n'));
    assert.ok(f.fixes.some((x) => x.actions.some((a) => a.kind === 'runShell' && /echo 96M \| (sudo )?tee .*memory\.limit_in_bytes$/.test(a.command))), JSON.stringify(f.fixes));
  });
});
