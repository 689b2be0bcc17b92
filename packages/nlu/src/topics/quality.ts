// How well a clustering recovers known labels: purity (each cluster counts its most common label) and
// normalised mutual information (arithmetic-mean normalisation, as scikit-learn's default). Messages
// left out of every topic count as one more cluster, so leaving hard messages out is not free.

export interface ClusterQuality {
  /** 0..1: the share of messages whose cluster's majority label is their own. */
  purity: number;
  /** 0..1. */
  nmi: number;
  /** The share of messages placed in a topic. */
  coverage: number;
  clusters: number;
  labels: number;
}

const UNCLUSTERED = -1;

export function clusterQuality(labels: readonly string[], clusters: ArrayLike<number>): ClusterQuality {
  const n = labels.length;
  if (n === 0 || clusters.length !== n)
    throw new RangeError('labels and clusters must be non-empty and aligned');
  const joint = new Map<number, Map<string, number>>();
  const byLabel = new Map<string, number>();
  let covered = 0;
  for (let i = 0; i < n; i++) {
    const c = clusters[i]!;
    const label = labels[i]!;
    if (c !== UNCLUSTERED) covered++;
    let row = joint.get(c);
    if (!row) {
      row = new Map();
      joint.set(c, row);
    }
    row.set(label, (row.get(label) ?? 0) + 1);
    byLabel.set(label, (byLabel.get(label) ?? 0) + 1);
  }
  let majority = 0;
  let mutual = 0;
  let clusterEntropy = 0;
  for (const row of joint.values()) {
    let size = 0;
    let top = 0;
    for (const count of row.values()) {
      size += count;
      top = Math.max(top, count);
    }
    majority += top;
    clusterEntropy -= (size / n) * Math.log(size / n);
    for (const [label, count] of row)
      mutual += (count / n) * Math.log((count * n) / (size * byLabel.get(label)!));
  }
  let labelEntropy = 0;
  for (const count of byLabel.values()) labelEntropy -= (count / n) * Math.log(count / n);
  const mean = (clusterEntropy + labelEntropy) / 2;
  return {
    purity: majority / n,
    nmi: mean === 0 ? 1 : Math.max(0, Math.min(1, mutual / mean)),
    coverage: covered / n,
    clusters: [...joint.keys()].filter((c) => c !== UNCLUSTERED).length,
    labels: byLabel.size,
  };
}
