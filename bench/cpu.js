/**
 * Who used the CPUs during a run, from /proc: the server, the load generator (this process), every
 * other process on the machine, and the kernel's interrupt work (loopback TCP is mostly softirq time,
 * charged to no process). A share of "other processes" above a few percent means the figures of that
 * run were taken on a busy machine.
 */
const fs = require('node:fs');
const os = require('node:os');

/**
 * Jiffies of the whole machine: `busy` in processes (user, nice, system), `irq` (interrupts and
 * softirqs), `steal` (taken by the hypervisor), and `total`.
 */
function systemTimes() {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const [user, nice, system, idle, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const busy = user + nice + system;
  return { busy, irq: irq + softirq, steal, total: busy + irq + softirq + steal + idle + iowait };
}

/**
 * Jiffies (utime + stime) of one process, plus cutime + cstime (its children it has waited for) with
 * `withChildren`; undefined once it is gone.
 */
function processTime(pid, withChildren = false) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const own = Number(fields[11]) + Number(fields[12]);
    return withChildren ? own + Number(fields[13]) + Number(fields[14]) : own;
  } catch {
    return undefined;
  }
}

/**
 * With a `serverPid` (or a list of them), those processes are counted apart; without, the children this process started and
 * has seen end (e.g. the servers of the start-to-ready timings) count as `server`.
 */
function snapshot(serverPid) {
  try {
    if (serverPid === undefined) {
      const self = processTime(process.pid);
      return { system: systemTimes(), self, server: processTime(process.pid, true) - self };
    }
    // Several pids (a mock's primary, its workers and its redis-server) count as one server.
    const pids = Array.isArray(serverPid) ? serverPid : [serverPid];
    const server = pids.reduce((sum, pid) => sum + processTime(pid), 0);
    return { system: systemTimes(), self: processTime(process.pid), server };
  } catch {
    return undefined;
  }
}

/**
 * CPU use between two snapshots, in percent of one CPU: `server`, `loadGenerator`, `others` (every
 * other process), `irq` (interrupts and softirqs, e.g. the loopback network), `steal` (the
 * hypervisor), and `cpus`, how many CPUs there are.
 */
function usage(before, after) {
  if (!before || !after || after.server === undefined || before.server === undefined) return undefined;
  const cpus = os.cpus().length;
  const total = after.system.total - before.system.total;
  if (total <= 0) return undefined;
  const perCpu = (j) => Math.round((j / total) * cpus * 1000) / 10;
  const busy = after.system.busy - before.system.busy;
  const self = after.self - before.self;
  const server = after.server - before.server;
  return {
    server: perCpu(server),
    loadGenerator: perCpu(self),
    others: Math.max(0, perCpu(busy - self - server)),
    irq: perCpu(after.system.irq - before.system.irq),
    steal: perCpu(after.system.steal - before.system.steal),
    cpus,
  };
}

/** Percent of one CPU used by every process but this one over `ms` milliseconds. */
async function othersOver(ms) {
  const take = () => ({ system: systemTimes(), self: processTime(process.pid), server: 0 });
  const before = take();
  await new Promise((resolve) => setTimeout(resolve, ms));
  return usage(before, take())?.others ?? 0;
}

module.exports = { snapshot, usage, othersOver };
