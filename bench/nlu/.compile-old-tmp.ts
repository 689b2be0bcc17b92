import { readFileSync } from 'node:fs';
import { compileBot } from './.old/packages/bot/src/compile.ts';
const template = JSON.parse(readFileSync('templates/retail/zh-CN.json', 'utf8'));
for (let i = 0; i < 5; i++) { const u0 = process.cpuUsage(); const t = performance.now(); compileBot({ template }); const u = process.cpuUsage(u0); console.log('wall', Math.round(performance.now() - t), 'cpu', Math.round((u.user + u.system) / 1000)); }
