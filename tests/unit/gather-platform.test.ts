// The platform probe against a fake /proc tree and a fake root: WSL, Flatpak and container
// markers, inotify / Yama / limits texts, mountinfo lines for Go's directories, gopls processes
// (ancestry, RSS, start time, `(deleted)` exe), macOS through a fake exec; then the same tree
// through gatherSnapshot and the engine.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import type { CommandRun } from '../../extension/src/engine/generated/CommandRun';
import { runEngine } from '../../extension/src/engine/index';
import type { Exec } from '../../extension/src/gather/exec';
import {
  dirAccess,
  linuxGoplsProcesses,
  mountLinesFor,
  parseEtime,
  probeDirs,
  probePlatform,
  unescapeMountPath,
} from '../../extension/src/gather/probes/platform';
import { gatherSnapshot } from '../../extension/src/gather/snapshot';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'gsd-platform-')));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function write(p: string, text: string): string {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, text);
  return p;
}

/** /proc/<pid>/stat: fields 3..22 after `(comm)`; index 19 of them is starttime (ticks). */
function stat(pid: number, comm: string, ppid: number, startTicks: number): string {
  const rest = ['S', ppid, pid, pid, 0, -1, 4194560, 100, 0, 0, 0, 5, 3, 0, 0, 20, 0, 9, 0, startTicks];
  return `${pid} (${comm}) ${rest.join(' ')} 1234 5678\n`;
}

const BTIME = 1_700_000_000;
// WSL 2 kernel string (leoheck/kiri#28), Ubuntu's Yama default, the old inotify default.
const PROC_VERSION = 'Linux version 5.4.72-microsoft-standard-WSL2 (oe-user@oe-host) (gcc version 8.2.0 (GCC)) #1 SMP Wed Oct 28 23:40:43 UTC 2020\n';
const LIMITS =
  'Limit                     Soft Limit           Hard Limit           Units     \n' +
  'Max processes             63438                63438                processes \n' +
  'Max open files            1024                 524288               files     \n';

/** A fake /proc: this process (self), its parent chain 50 → 1, a gopls it started (100), a
 * gopls of someone else (300, its binary replaced), a shell (200). */
function fakeProc(root: string, opts: { goplsBin: string; replacedBin: string; mountinfo: string }): string {
  const proc = path.join(root, 'proc');
  write(path.join(proc, 'version'), PROC_VERSION);
  write(path.join(proc, 'stat'), `cpu  1 2 3 4\nbtime ${BTIME}\nprocesses 99\n`);
  write(path.join(proc, 'sys/fs/binfmt_misc/WSLInterop'), 'enabled\ninterpreter /init\n');
  write(path.join(proc, 'sys/fs/inotify/max_user_watches'), '8192\n');
  write(path.join(proc, 'sys/user/max_inotify_watches'), '8192\n');
  write(path.join(proc, 'sys/kernel/yama/ptrace_scope'), '1\n');
  write(
    path.join(proc, 'self/status'),
    'Name:\tnode\nUmask:\t0022\nState:\tS (sleeping)\nCapInh:\t0000000000000000\nCapPrm:\t0000000000000000\nCapEff:\t0000000000000000\nSeccomp:\t0\nSeccomp_filters:\t0\n',
  );
  write(path.join(proc, 'self/limits'), LIMITS);
  write(path.join(proc, 'self/mountinfo'), opts.mountinfo);
  const procEntry = (pid: number, comm: string, ppid: number, argv: string[], exe: string | undefined, rssKb?: number) => {
    const dir = path.join(proc, String(pid));
    write(path.join(dir, 'cmdline'), argv.map((a) => a + '\0').join(''));
    write(path.join(dir, 'stat'), stat(pid, comm, ppid, 12_345));
    write(path.join(dir, 'status'), `Name:\t${comm}\nPPid:\t${ppid}\n${rssKb !== undefined ? `VmRSS:\t  ${rssKb} kB\n` : ''}Threads:\t9\n`);
    if (exe !== undefined) fs.symlinkSync(exe, path.join(dir, 'exe'));
  };
  procEntry(1, 'systemd', 0, ['/sbin/init'], '/usr/lib/systemd/systemd');
  procEntry(50, 'node', 1, ['/usr/bin/node', 'extensionHost'], '/usr/bin/node');
  procEntry(100, 'gopls', 50, [opts.goplsBin, '-mode=stdio'], opts.goplsBin, 5 * 1024 * 1024);
  procEntry(200, 'bash', 1, ['/bin/bash'], '/bin/bash', 4000);
  // The kernel's `(deleted)` suffix, as readlink returns it.
  procEntry(300, 'gopls', 1, [opts.replacedBin, 'serve'], `${opts.replacedBin} (deleted)`, 200_000);
  procEntry(77, 'kworker/0:1', 2, [], undefined); // kernel thread: empty cmdline, no exe
  return proc;
}

describe('platform probe on a fake /proc', () => {
  const root = path.join(tmp, 'fake');
  const goplsBin = write(path.join(tmp, 'bin/gopls'), 'binary');
  const replacedBin = write(path.join(tmp, 'other/gopls'), 'new binary');
  // Modified after the fake start time (btime + 123.45 s).
  fs.utimesSync(replacedBin, BTIME + 3600, BTIME + 3600);
  fs.utimesSync(goplsBin, BTIME - 3600, BTIME - 3600);
  const ws = path.join(tmp, 'ws');
  const mountinfo = [
    '29 21 8:0 / / rw,relatime - ext4 /dev/sda rw,discard,errors=remount-ro,data=ordered',
    '36 29 0:21 / /run rw,nosuid,noexec,noatime - tmpfs none rw,mode=755',
    `63 29 0:39 / ${tmp.replace(/ /g, '\\040')}/noexec rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw,size=65536k`,
    '90 29 0:40 / /mnt/c rw,noatime - 9p C:\\134 rw,dirsync,aname=drvfs;path=C:\\;uid=1000;gid=1000;symlinkroot=/mnt/,mmap,access=client,msize=65536,trans=fd,rfd=8,wfd=8',
  ].join('\n') + '\n';
  const proc = fakeProc(root, { goplsBin, replacedBin, mountinfo });
  const fsRoot = path.join(root, 'root');
  write(path.join(fsRoot, '.flatpak-info'), '[Application]\nname=com.visualstudio.code\nruntime=runtime/org.freedesktop.Sdk/x86_64/23.08\n');
  write(path.join(fsRoot, '.dockerenv'), '');
  const noExec: Exec = async () => {
    throw new Error('no command may run on Linux');
  };

  test('host facts are the raw texts of /proc and the markers that exist', async () => {
    const { host, processes } = await probePlatform({ platform: 'linux', procRoot: proc, fsRoot, env: {}, exec: noExec, timeoutMs: 1000, pid: 50 });
    assert.equal(host.pid, 50);
    assert.equal(host.procVersion, PROC_VERSION);
    assert.equal(host.wslInterop, true);
    assert.match(host.flatpakInfo ?? '', /name=com\.visualstudio\.code/);
    assert.deepEqual(host.containerMarkers, ['/.dockerenv']);
    assert.equal(host.inotifyMaxUserWatches, '8192\n');
    assert.equal(host.usernsMaxInotifyWatches, '8192\n');
    assert.equal(host.ptraceScope, '1\n');
    assert.equal(host.procStatus, 'CapEff:\t0000000000000000\nSeccomp:\t0\n', 'only CapEff and Seccomp');
    assert.equal(host.procLimits, LIMITS);
    assert.equal(host.ulimitNofile, undefined);
    assert.deepEqual(
      processes?.map((p) => p.pid),
      [100, 300],
    );
  });

  test('gopls processes: ancestry, RSS, start time from btime + ticks, exe and its mtime', async () => {
    const ps = (await linuxGoplsProcesses(proc, 999)) ?? [];
    const ours = ps.find((p) => p.pid === 100);
    assert.deepEqual(ours, {
      pid: 100,
      ppid: 50,
      ancestors: [50, 1],
      exe: goplsBin,
      cmdline: [goplsBin, '-mode=stdio'],
      rssKib: 5 * 1024 * 1024,
      startTimeMs: (BTIME + 123.45) * 1000,
      exeMtimeMs: (BTIME - 3600) * 1000,
    });
    const replaced = ps.find((p) => p.pid === 300);
    assert.equal(replaced?.exe, `${replacedBin} (deleted)`);
    assert.equal(replaced?.exeMtimeMs, (BTIME + 3600) * 1000, 'mtime of the file now at the path');
    assert.deepEqual(replaced?.ancestors, [1]);
    // The gathering process itself is never listed.
    assert.deepEqual((await linuxGoplsProcesses(proc, 100))?.map((p) => p.pid), [300]);
    assert.equal(await linuxGoplsProcesses(path.join(tmp, 'no-proc'), 1), undefined);
  });

  test('mountinfo lines of the directories Go writes to and the folders, writability', async () => {
    fs.mkdirSync(ws, { recursive: true });
    const facts = await probeDirs({
      platform: 'linux',
      procRoot: proc,
      env: { TMPDIR: path.join(tmp, 'noexec') },
      goEnv: { GOCACHE: path.join(tmp, 'cache/go-build'), GOMODCACHE: '/mnt/c/Users/u/go/pkg/mod', GOTMPDIR: '' },
      folders: [ws],
    });
    assert.deepEqual(facts.mountinfo, [mountinfo.split('\n')[0], mountinfo.split('\n')[2], mountinfo.split('\n')[3]]);
    assert.deepEqual(
      facts.dirAccess?.map((d) => [d.var, d.exists, d.checked]),
      [
        ['GOCACHE', false, tmp],
        ['GOMODCACHE', false, fs.existsSync('/mnt/c') ? '/mnt/c' : fs.existsSync('/mnt') ? '/mnt' : '/'],
        ['TMPDIR', false, tmp],
      ],
    );
    assert.ok(facts.dirAccess?.every((d) => d.writable));
    // Another platform than this machine's, without a fake /proc: nothing is observed.
    assert.deepEqual(await probeDirs({ platform: 'darwin', env: {}, folders: [] }).then((f) => f.mountinfo), undefined);
    assert.deepEqual(await probeDirs({ platform: 'win32', env: {}, folders: [] }), {});
  });

  test('access check of a missing directory climbs to the nearest existing one', async () => {
    const d = await dirAccess('GOTMPDIR', path.join(tmp, 'a/b/c'));
    assert.deepEqual(d, { var: 'GOTMPDIR', path: path.join(tmp, 'a/b/c'), exists: false, checked: tmp, writable: true });
  });

  test('mountinfo escapes and prefixes', () => {
    assert.equal(unescapeMountPath('/mnt/my\\040disk'), '/mnt/my disk');
    const lines = '1 0 0:1 / / rw - ext4 /dev/a rw\n2 1 0:2 / /mnt/my\\040disk rw - nfs4 nas:/x rw\n3 1 0:3 / /mnt/myother rw - tmpfs t rw\n';
    assert.deepEqual(mountLinesFor(lines, ['/mnt/my disk/proj']), ['1 0 0:1 / / rw - ext4 /dev/a rw', '2 1 0:2 / /mnt/my\\040disk rw - nfs4 nas:/x rw']);
    assert.equal(parseEtime('1-02:03:04'), 93784);
    assert.equal(parseEtime('05:06'), 306);
    assert.equal(parseEtime('x'), undefined);
  });

  test('through gatherSnapshot and the engine: WSL, inotify, ptrace, open files, slow fs, noexec, stale and heavy gopls', async () => {
    const folder = path.join(tmp, 'noexec/..', 'ws'); // resolved to ws
    for (let i = 0; i < 4500; i++) fs.mkdirSync(path.join(ws, `d${i}`), { recursive: true });
    write(path.join(ws, 'go.mod'), 'module example.com/ws\n\ngo 1.22\n');
    write(path.join(ws, 'main.go'), 'package main\n\nfunc main() {}\n');
    write(
      path.join(ws, '.vscode/launch.json'),
      '{\n  "configurations": [\n    {"name": "Attach", "type": "go", "request": "attach", "mode": "local", "processId": 0}\n  ]\n}\n',
    );
    const snap = await gatherSnapshot({
      folders: [folder],
      layers: [],
      env: { HOME: path.join(tmp, 'home'), PATH: '/nonexistent', TMPDIR: path.join(tmp, 'noexec') },
      // Go binaries found on this machine answer with a failure: only the platform facts matter here.
      exec: async (argv, o) => ({ argv, envOverrides: {}, stdout: '', stderr: 'not run in this test', exitCode: 1, timedOut: false, timeoutMs: o.timeoutMs, truncated: false, durationMs: 0 }),
      cache: null,
      platform: 'linux',
      procRoot: proc,
      fsRoot: path.join(root, 'empty-root'),
    });
    assert.equal(snap.workspace.folders[0].dirsVisited, 4501, '4500 + .vscode');
    assert.match(snap.workspace.folders[0].launchJson?.text ?? '', /"request": "attach"/);
    assert.equal(snap.host.pid, process.pid);
    assert.deepEqual(
      snap.processes?.map((p) => p.pid),
      [100, 300],
    );
    const report = runEngine(snap);
    const codes = new Set(report.findings.map((f) => f.code));
    for (const c of ['GSD604', 'GSD607', 'GSD505', 'GSD802', 'GSD803']) assert.ok(codes.has(c), `${c} in ${[...codes].join(' ')}`);
    const f604 = report.findings.find((f) => f.code === 'GSD604');
    assert.match(f604?.message ?? '', /fs\.inotify\.max_user_watches is 8,192, and this workspace has 4,501 directories/);
    const f505 = report.findings.find((f) => f.code === 'GSD505');
    assert.match(f505?.message ?? '', /on a noexec mount \(tmpfs on .*\/noexec, type tmpfs\)/);
    const stale = report.findings.filter((f) => f.code === 'GSD803');
    assert.deepEqual(stale.length, 1, 'only the replaced binary');
    assert.match(stale[0].message, /gopls \(pid 300\)/);
  });
});

describe('platform probe on macOS (fake exec)', () => {
  test('ulimit and ps give the open-file limits and gopls processes with ancestry and start time', async () => {
    const calls: string[][] = [];
    const out = (argv: string[], stdout: string): CommandRun => ({
      argv,
      envOverrides: {},
      stdout,
      stderr: '',
      exitCode: 0,
      timedOut: false,
      timeoutMs: 1000,
      truncated: false,
      durationMs: 1,
    });
    // `ps -axww -o pid=,ppid=,rss=,etime=,comm=` rows; the process table of golang/vscode-go#1859
    // (code main 7487 → window 7521 → extensionHost 7560 → gopls 7607 at 1720 MB).
    const exec: Exec = async (argv) => {
      calls.push(argv);
      if (argv[0] === '/bin/sh') return out(argv, '256\nunlimited\n');
      return out(
        argv,
        [
          '    1     0   12000 10-01:00:00 /sbin/launchd',
          ' 7487     1  117760    02:00:00 /Applications/Visual Studio Code.app/Contents/MacOS/Electron',
          ' 7521  7487  234496    01:59:00 /Applications/Visual Studio Code.app/Contents/Frameworks/Code Helper (Renderer).app/Contents/MacOS/Code Helper (Renderer)',
          ' 7560  7521  100352    01:58:00 /Applications/Visual Studio Code.app/Contents/Frameworks/Code Helper (Plugin).app/Contents/MacOS/Code Helper (Plugin)',
          ' 7607  7560 1761280       10:00 /Users/ptrinh/gopath/bin/gopls',
        ].join('\n') + '\n',
      );
    };
    const now = 1_700_000_000_000;
    const { host, processes } = await probePlatform({ platform: 'darwin', env: {}, exec, timeoutMs: 1000, pid: 7560, now: () => now, procRoot: '/nonexistent' });
    assert.equal(host.ulimitNofile?.stdout, '256\nunlimited\n');
    assert.deepEqual(calls[0], ['/bin/sh', '-c', 'ulimit -Sn; ulimit -Hn']);
    assert.deepEqual(processes, [
      {
        pid: 7607,
        ppid: 7560,
        ancestors: [7560, 7521, 7487, 1],
        exe: '/Users/ptrinh/gopath/bin/gopls',
        cmdline: ['/Users/ptrinh/gopath/bin/gopls'],
        rssKib: 1761280,
        startTimeMs: now - 600_000,
      },
    ]);
  });

  test('Windows: no platform facts', async () => {
    const r = await probePlatform({ platform: 'win32', env: {}, exec: async () => { throw new Error('x'); }, timeoutMs: 1, procRoot: '/x' });
    assert.deepEqual(r, { host: { pid: process.pid } });
  });
});
