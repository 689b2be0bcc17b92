// Prints the replay set's mix as the Markdown table in bench/routing/README.md: `npx tsx bench/routing/mix.ts`.
import { loadReplaySet, mixOf, mixTable } from './replay.ts';

process.stdout.write(`${mixTable(mixOf(loadReplaySet()))}\n`);
