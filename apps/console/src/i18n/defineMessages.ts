// Feature catalogues: each console feature keeps its strings beside its code and the locale files
// spread them in, so features can grow without everyone editing one long file. The en-US half must
// have exactly the keys of the zh-CN half, which the type checks.
export interface FeatureMessages<Z extends Readonly<Record<string, string>>> {
  readonly zhCN: Z;
  readonly enUS: { readonly [K in keyof Z]: string };
}

export function defineMessages<const Z extends Readonly<Record<string, string>>>(
  zhCN: Z,
  enUS: { readonly [K in keyof Z]: string },
): FeatureMessages<Z> {
  return { zhCN, enUS };
}
