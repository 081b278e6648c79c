// The login-shell probe's pieces on a real /bin/sh: which shells it runs, the cache keyed by the
// shell, its environment and the profile files, and the pin-file walk.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { MemoryProbeCache } from '../../extension/src/gather/cache';
import { runCommand, type Exec } from '../../extension/src/gather/exec';
import { END, probeLoginShell, readVersionFiles, shellKind, userShell } from '../../extension/src/gather/probes/loginShell';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gsd-loginshell-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('login shell probe', () => {
  test('shell dialects: POSIX shells and fish run, others are not guessed at', () => {
    assert.equal(shellKind('/bin/bash'), 'posix');
    assert.equal(shellKind('/usr/bin/zsh'), 'posix');
    assert.equal(shellKind('/bin/dash'), 'posix');
    assert.equal(shellKind('/opt/homebrew/bin/fish'), 'fish');
    assert.equal(shellKind('/bin/tcsh'), undefined);
    assert.equal(shellKind('/usr/bin/nu'), undefined);
    assert.equal(userShell({ SHELL: '/bin/zsh' }, 'darwin'), '/bin/zsh');
    assert.equal(userShell({ SHELL: '/bin/zsh' }, 'win32'), undefined);
  });

  test('Windows: not run and not reported as skipped (GSD902 would be noise on every Windows machine)', async () => {
    const exec: Exec = () => {
      throw new Error('must not run');
    };
    assert.deepEqual(await probeLoginShell({ env: { SHELL: 'C:\\msys64\\usr\\bin\\bash.exe' }, exec, platform: 'win32' }), {});
  });

  test('a complete run is cached; changing a profile file runs the shell again', async () => {
    const home = path.join(tmp, 'home');
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(path.join(home, '.profile'), 'export GOFLAGS=-mod=mod\n');
    const env = { HOME: home, PATH: '/usr/bin:/bin', SHELL: '/bin/sh' };
    let spawned = 0;
    const exec: Exec = (argv, o) => {
      spawned++;
      return runCommand(argv, o);
    };
    const cache = new MemoryProbeCache();
    const first = await probeLoginShell({ env, exec, platform: 'linux', cwd: home, cache });
    assert.equal(first.run?.exitCode, 0, first.run?.stderr);
    assert.ok(first.run?.stdout.includes('env GOFLAGS=-mod=mod') && first.run.stdout.includes(END), first.run?.stdout);
    assert.deepEqual(first.run?.argv, ['/bin/sh', '-i', '-l', '-c', 'eval "$GSD_LOGIN_SHELL_SCRIPT"']);
    assert.ok(first.run?.envOverrides.GSD_LOGIN_SHELL_SCRIPT?.includes('command -v gopls'));
    const second = await probeLoginShell({ env, exec, platform: 'linux', cwd: home, cache });
    assert.equal(spawned, 1);
    assert.equal(second.run?.cached, true);
    assert.equal(second.run?.stdout, first.run?.stdout);
    fs.writeFileSync(path.join(home, '.profile'), 'export GOFLAGS=-mod=vendor\n');
    const third = await probeLoginShell({ env, exec, platform: 'linux', cwd: home, cache });
    assert.equal(spawned, 2);
    assert.ok(third.run?.stdout.includes('env GOFLAGS=-mod=vendor'), third.run?.stdout);
  });

  test('a failing profile is recorded, not cached', async () => {
    const home = path.join(tmp, 'home-exit');
    fs.mkdirSync(home, { recursive: true });
    fs.writeFileSync(path.join(home, '.profile'), 'exit 4\n');
    const env = { HOME: home, PATH: '/usr/bin:/bin', SHELL: '/bin/sh' };
    const cache = new MemoryProbeCache();
    const r = await probeLoginShell({ env, exec: runCommand, platform: 'linux', cwd: home, cache });
    assert.equal(r.run?.exitCode, 4);
    assert.equal(cache.size, 0);
  });

  test('pin files: nearest first, up to HOME, big files skipped', async () => {
    const home = path.join(tmp, 'pins');
    const folder = path.join(home, 'src', 'app');
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, '.go-version'), '1.24.4\n');
    fs.writeFileSync(path.join(home, 'src', 'mise.toml'), '[tools]\ngo = "1.23"\n');
    fs.writeFileSync(path.join(home, '.tool-versions'), 'golang 1.22.12\n');
    fs.writeFileSync(path.join(tmp, '.tool-versions'), 'golang 1.1\n'); // above HOME: not read
    fs.writeFileSync(path.join(folder, '.tool-versions'), 'x'.repeat(70 * 1024)); // over the cap
    const files = await readVersionFiles(folder, home);
    assert.deepEqual(
      files.map((f) => path.relative(home, f.path)),
      ['src/app/.go-version', 'src/mise.toml', '.tool-versions'],
    );
  });
});
