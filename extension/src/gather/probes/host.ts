// Host facts: OS, the extension host's arch, the machine's arch, shell, home, and on macOS
// whether this process runs translated by Rosetta.
import * as os from 'os';
import type { Host } from '../../engine/generated/Host';
import type { Exec } from '../exec';
import { homeOf } from '../env';

export async function probeHost(opts: {
  env: NodeJS.ProcessEnv;
  exec: Exec;
  timeoutMs: number;
  platform?: NodeJS.Platform;
  arch?: string;
}): Promise<Host> {
  const platform = opts.platform ?? process.platform;
  const host: Host = { os: platform, arch: opts.arch ?? process.arch };
  try {
    host.machine = os.machine();
  } catch {
    /* not available on this Node */
  }
  let shell = opts.env.SHELL;
  if (!shell && platform !== 'win32') {
    try {
      shell = os.userInfo().shell ?? undefined;
    } catch {
      shell = undefined;
    }
  }
  if (shell) host.shell = shell;
  const home = homeOf(opts.env, platform);
  if (home) host.home = home;
  if (platform === 'darwin') {
    host.procTranslated = await opts.exec(['/usr/sbin/sysctl', '-n', 'sysctl.proc_translated'], {
      env: opts.env,
      baseEnv: opts.env,
      timeoutMs: opts.timeoutMs,
    });
  }
  return host;
}
