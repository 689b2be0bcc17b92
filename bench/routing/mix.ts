// Prints a set's mix as the Markdown table in bench/routing/README.md: `npx tsx bench/routing/mix.ts`
// for the replay set, `… mix.ts dev2.zh-CN.jsonl` for another set in this folder.
import { loadReplaySet, mixOf, mixTable, REPLAY_PATH } from './replay.ts';

const file = process.argv[2];
const path = file ? new URL(`./${file}`, import.meta.url).pathname : REPLAY_PATH;
process.stdout.write(`${mixTable(mixOf(loadReplaySet(path)))}\n`);
