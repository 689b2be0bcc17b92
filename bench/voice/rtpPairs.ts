// RTP packet timing: N pairs of RtpSessions in this one process, both sides playing audio for a while,
// then the share of packets sent more than 20 ms after their slot, slots skipped after a stall, loss seen
// by the receivers, and the process's CPU. Usage: npx tsx bench/voice/rtpPairs.ts [levels] [seconds]
// e.g. `npx tsx bench/voice/rtpPairs.ts 10,50,100,200 10`. Prints one row per level and a JSON line.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { RtpPortAllocator, type RtpSession } from '../../packages/voice/src/index.ts';
import { sessionPair } from '../../packages/voice/src/rtp/testSupport.ts';

const LEVELS = (process.argv[2] ?? '10,50,100,200').split(',').map(Number);
const SECONDS = Number(process.argv[3] ?? 10);

function tone(seconds: number, freq: number): Int16Array {
  const out = new Int16Array(seconds * 8000);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(6000 * Math.sin((2 * Math.PI * freq * i) / 8000));
  return out;
}

interface LevelResult {
  pairs: number;
  seconds: number;
  packetsSent: number;
  latePct: number;
  skippedSlots: number;
  receivedPct: number;
  concealed: number;
  cpuPct: number;
  loopDelayP99Ms: number;
}

async function runLevel(pairs: number, allocator: RtpPortAllocator): Promise<LevelResult> {
  const sessions: RtpSession[] = [];
  for (let i = 0; i < pairs; i++) sessions.push(...(await sessionPair(allocator, { mediaTimeoutMs: 0 })));
  const audio = tone(SECONDS + 2, 440);
  // Warm-up second: sockets, JIT and the first latching settle before measuring.
  await new Promise((r) => setTimeout(r, 1000));
  const before = sessions.map((s) => s.stats());
  for (const s of sessions) s.play(audio);
  const delay = monitorEventLoopDelay({ resolution: 5 });
  delay.enable();
  const cpuStart = process.cpuUsage();
  const wallStart = performance.now();
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const cpu = process.cpuUsage(cpuStart);
  const wall = performance.now() - wallStart;
  delay.disable();
  const after = sessions.map((s) => s.stats());
  for (const s of sessions) s.close();
  await Promise.all(sessions.map((s) => s.closed));
  let sent = 0;
  let late = 0;
  let skipped = 0;
  let received = 0;
  let concealed = 0;
  after.forEach((a, i) => {
    const b = before[i]!;
    sent += a.packetsSent - b.packetsSent;
    late += a.lateSent - b.lateSent;
    skipped += a.skippedSlots - b.skippedSlots;
    received += a.packetsReceived - b.packetsReceived;
    concealed += a.concealed - b.concealed;
  });
  const slots = sent + skipped;
  return {
    pairs,
    seconds: SECONDS,
    packetsSent: sent,
    latePct: slots ? ((late + skipped) / slots) * 100 : 0,
    skippedSlots: skipped,
    receivedPct: sent ? (received / sent) * 100 : 0,
    concealed,
    cpuPct: ((cpu.user + cpu.system) / 1000 / wall) * 100,
    loopDelayP99Ms: delay.percentile(99) / 1e6,
  };
}

async function main(): Promise<void> {
  const min = 20000 + 2 * Math.floor(Math.random() * 5000);
  const allocator = new RtpPortAllocator({
    min,
    max: min + 8 * Math.max(...LEVELS) + 200,
    host: '127.0.0.1',
  });
  const rows: LevelResult[] = [];
  console.log(
    `RTP pairs in one process, ${SECONDS} s per level (late = sent > 20 ms after its slot, skipped counted late)`,
  );
  console.log('pairs  sessions  packets  late%   skipped  recv%   concealed  cpu%   loop-p99 ms');
  for (const pairs of LEVELS) {
    const r = await runLevel(pairs, allocator);
    rows.push(r);
    console.log(
      [
        String(r.pairs).padStart(5),
        String(r.pairs * 2).padStart(8),
        String(r.packetsSent).padStart(8),
        r.latePct.toFixed(2).padStart(6),
        String(r.skippedSlots).padStart(8),
        r.receivedPct.toFixed(1).padStart(6),
        String(r.concealed).padStart(10),
        r.cpuPct.toFixed(0).padStart(5),
        r.loopDelayP99Ms.toFixed(1).padStart(11),
      ].join('  '),
    );
  }
  const fit = rows.filter((r) => r.latePct < 1).map((r) => r.pairs);
  console.log(`largest level with < 1 % late: ${fit.length ? Math.max(...fit) : 'none'} pairs`);
  console.log(JSON.stringify({ bench: 'voice-rtp-pairs', rows }));
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
