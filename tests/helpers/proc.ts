// The process table, read from /proc (Linux): to prove that nothing a probe started survives it.
import * as fs from 'fs';

export interface ProcessInfo {
  pid: number;
  cmdline: string;
}

/** Every live process whose command line contains `marker`. */
export function processesMatching(marker: string): ProcessInfo[] {
  const out: ProcessInfo[] = [];
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return out;
  }
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    let cmdline: string;
    try {
      cmdline = fs.readFileSync(`/proc/${e}/cmdline`, 'utf8').split('\0').join(' ').trim();
    } catch {
      continue; // exited meanwhile
    }
    if (cmdline === '') continue; // kernel thread or zombie
    if (cmdline.includes(marker) && Number(e) !== process.pid) out.push({ pid: Number(e), cmdline });
  }
  return out;
}

/** Wait until no process matches (killed processes may take a moment to be reaped). */
export async function waitForNoProcesses(marker: string, attempts = 50, delayMs = 50): Promise<ProcessInfo[]> {
  let left = processesMatching(marker);
  for (let i = 0; i < attempts && left.length > 0; i++) {
    await new Promise((r) => setTimeout(r, delayMs));
    left = processesMatching(marker);
  }
  return left;
}

export const hasProcfs = fs.existsSync('/proc/self/cmdline');
