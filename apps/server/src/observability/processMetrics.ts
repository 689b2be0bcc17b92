// The process's own health under the names Node dashboards expect (prom-client's default metric names):
// CPU, resident memory, heap, open files and event-loop delay. Written here rather than taken from
// prom-client's collectDefaultMetrics because that one starts an event-loop monitor and a GC observer
// per registry that nothing ever stops, and tests build many apps in one process: this one stops with
// the app.
import { readdirSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, type Registry } from 'prom-client';

/** Registers the process metrics in `registry`; the returned function stops the event-loop monitor. */
export function registerProcessMetrics(registry: Registry): () => void {
  const registers = [registry];
  // Reported CPU so far: the counters carry the process's whole CPU time, whenever they were created.
  let reported = { user: 0, system: 0 };
  // A registry renders its metrics in the order they were registered, each read right after its own
  // collect: so the metric whose collect reads for a group comes first, and the rest of the group after.
  new Counter({
    name: 'process_cpu_user_seconds_total',
    help: 'Total user CPU time spent in seconds.',
    registers,
    collect() {
      const usage = process.cpuUsage();
      const user = (usage.user - reported.user) / 1e6;
      const system = (usage.system - reported.system) / 1e6;
      reported = usage;
      this.inc(user);
      cpuSystem.inc(system);
      cpuTotal.inc(user + system);
    },
  });
  const cpuSystem = new Counter({
    name: 'process_cpu_system_seconds_total',
    help: 'Total system CPU time spent in seconds.',
    registers,
  });
  const cpuTotal = new Counter({
    name: 'process_cpu_seconds_total',
    help: 'Total user and system CPU time spent in seconds.',
    registers,
  });
  new Gauge({
    name: 'process_start_time_seconds',
    help: 'Start time of the process since unix epoch in seconds.',
    registers,
    collect() {
      this.set(Math.round(Date.now() / 1000 - process.uptime()));
    },
  });
  new Gauge({
    name: 'process_resident_memory_bytes',
    help: 'Resident memory size in bytes.',
    registers,
    collect() {
      const memory = process.memoryUsage();
      this.set(memory.rss);
      heapTotal.set(memory.heapTotal);
      heapUsed.set(memory.heapUsed);
      external.set(memory.external);
    },
  });
  const heapTotal = new Gauge({
    name: 'nodejs_heap_size_total_bytes',
    help: 'Process heap size from Node.js in bytes.',
    registers,
  });
  const heapUsed = new Gauge({
    name: 'nodejs_heap_size_used_bytes',
    help: 'Process heap size used from Node.js in bytes.',
    registers,
  });
  const external = new Gauge({
    name: 'nodejs_external_memory_bytes',
    help: 'Node.js external memory size in bytes.',
    registers,
  });
  if (process.platform === 'linux') {
    new Gauge({
      name: 'process_open_fds',
      help: 'Number of open file descriptors.',
      registers,
      collect() {
        try {
          this.set(readdirSync('/proc/self/fd').length);
        } catch {
          // /proc not mounted (some sandboxes): the metric stays at its last value.
        }
      },
    });
  }

  // Event-loop delay since the previous scrape (the monitor is reset at each): what a request waited
  // before the process could look at it.
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  new Gauge({
    name: 'nodejs_eventloop_lag_mean_seconds',
    help: 'The mean of the recorded event loop delays since the last scrape.',
    registers,
    collect() {
      // Before the monitor's first sample its statistics are NaN: keep the last values rather than NaN.
      if (delay.count > 0) {
        this.set(delay.mean / 1e9);
        lagP50.set(delay.percentile(50) / 1e9);
        lagP99.set(delay.percentile(99) / 1e9);
        lagMax.set(delay.max / 1e9);
      }
      delay.reset();
    },
  });
  const lagP50 = new Gauge({
    name: 'nodejs_eventloop_lag_p50_seconds',
    help: 'The 50th percentile of the recorded event loop delays since the last scrape.',
    registers,
  });
  const lagP99 = new Gauge({
    name: 'nodejs_eventloop_lag_p99_seconds',
    help: 'The 99th percentile of the recorded event loop delays since the last scrape.',
    registers,
  });
  const lagMax = new Gauge({
    name: 'nodejs_eventloop_lag_max_seconds',
    help: 'The maximum recorded event loop delay since the last scrape.',
    registers,
  });
  return () => delay.disable();
}
