// CPU time per process group during a benchmark run, read from /proc (Linux; elsewhere the meter gives null):
//   platform:  processes whose command line names the platform's built main.js (its workers and instances too);
//   postgres:  the PostgreSQL server and its backends;
//   client:    this benchmark process (the load generator, or the plain `pg` replay's clients);
//   rest:      everything else the machine did (other services, the kernel's own work), from /proc/stat.
// A process's time counts its children that ended and were reaped (cutime, cstime): a backend that closes, or a worker
// that is replaced, during the run still counts, in its parent (what it used before the run is taken off).
const fs = require('node:fs');

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const PLATFORM = /dist\/apps\/platform\/src\/main\.js/;

function groupOf(pid, cmdline) {
  if (pid === process.pid) return null; // measured with process.cpuUsage()
  if (PLATFORM.test(cmdline)) return 'platform';
  // The server ("/usr/lib/postgresql/15/bin/postgres -D …") and its backends ("postgres: 15/main: …").
  if (/(^|\/)postgres:?$/.test(cmdline.split(' ')[0])) return 'postgres';
  return null;
}

/** A process's utime, stime, cutime and cstime in ticks, from /proc/<pid>/stat (fields 14–17). */
function statTicks(pid) {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' '); // fields[0] is the state (field 3)
  return fields.slice(11, 15).map(Number);
}

/** The CPU seconds a process has used so far itself (not its children). */
function cpuSeconds(pid) {
  const [utime, stime] = statTicks(pid);
  return (utime + stime) / TICKS_PER_SECOND;
}

/** pid → { group, ticks } of the processes of the measured groups. */
function processTicks() {
  const ticks = new Map();
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const group = groupOf(Number(pid), fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '));
      if (!group) continue;
      const [utime, stime, cutime, cstime] = statTicks(pid);
      ticks.set(pid, { group, ticks: utime + stime + cutime + cstime });
    } catch {
      // the process ended between the listing and the read
    }
  }
  return ticks;
}

/** The machine's busy and total ticks over all cores. */
function machineTicks() {
  const [, ...values] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const idle = values[3] + values[4];
  const all = values.reduce((sum, v) => sum + v, 0);
  return { busy: all - idle, all };
}

/** Starts measuring; `stop()` answers seconds of CPU per group, the machine's busy share (0–1) and the elapsed seconds. */
function cpuMeter() {
  if (!fs.existsSync('/proc/stat')) return { stop: () => null };
  const before = { processes: processTicks(), machine: machineTicks(), own: process.cpuUsage(), at: performance.now() };
  return {
    stop() {
      const processes = processTicks();
      const machine = machineTicks();
      const own = process.cpuUsage(before.own);
      const seconds = { platform: 0, postgres: 0 };
      for (const [pid, { group, ticks }] of processes) {
        const start = before.processes.get(pid);
        seconds[group] += (ticks - (start?.group === group ? start.ticks : 0)) / TICKS_PER_SECOND;
      }
      // A process that ended is now in its parent's cutime with its whole life: take off what it had used before.
      for (const [pid, { group, ticks }] of before.processes) if (!processes.has(pid)) seconds[group] -= ticks / TICKS_PER_SECOND;
      const client = (own.user + own.system) / 1e6;
      const busy = (machine.busy - before.machine.busy) / TICKS_PER_SECOND;
      return {
        ...seconds,
        client,
        rest: Math.max(0, busy - seconds.platform - seconds.postgres - client),
        busyShare: (machine.busy - before.machine.busy) / (machine.all - before.machine.all),
        elapsed: (performance.now() - before.at) / 1000,
      };
    },
  };
}

/** CPU milliseconds per unit (save or transaction) of each group, and in all. */
function perUnit(cpu, units) {
  const ms = (seconds) => (units > 0 ? (seconds * 1000) / units : NaN);
  return {
    platform: ms(cpu.platform),
    postgres: ms(cpu.postgres),
    client: ms(cpu.client),
    rest: ms(cpu.rest),
    all: ms(cpu.platform + cpu.postgres + cpu.client + cpu.rest),
  };
}

module.exports = { cpuMeter, perUnit, cpuSeconds };
