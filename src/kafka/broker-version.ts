/**
 * Which Apache Kafka release an external broker runs, as far as the broker lets anyone tell.
 * Kafka never reports its release: the honest answer is a lower bound derived from its
 * ApiVersions answer, "at least X", and the evidence it rests on.
 *
 * 1. A KRaft broker (every 4.x, and 3.x in KRaft mode) lists the `metadata.version` levels it
 *    supports. Each level belongs to one release's development (MetadataVersion.java), and a
 *    release's highest production level is that release's own, so the highest supported level
 *    names the release. (A broker run with `unstable.feature.versions.enable=true` also offers
 *    the next release's unstable level; that rare set-up reads one release high.)
 * 2. Otherwise (ZooKeeper-mode 3.x and older), the highest version of client APIs every broker
 *    serves is matched against the release that introduced it (franz-go's kversion tables).
 */

export interface ApiVersionsAnswer {
  apiKeys: Array<{ apiKey: number; maxVersion: number }>;
  /** ApiVersions v3+ (Kafka 2.4+) only; KRaft brokers list `metadata.version` here. */
  supportedFeatures?: Array<{ name: string; maxVersion: number }>;
}

/** Asks one broker for its ApiVersions. Real ones wrap a connection (api-versions.ts); tests pass fixtures. */
export interface ApiVersionsSource {
  apiVersions(): Promise<ApiVersionsAnswer>;
}

export type KafkaVersionGuess =
  | { state: 'known'; /** e.g. "at least 4.3" */ version: string; basis: string }
  | { state: 'unknown'; version: 'unknown'; reason: string };

/** metadata.version feature levels 1..30, as Apache Kafka 4.3.1's MetadataVersion defines them. */
const metadataVersions = [
  '3.0-IV1', '3.1-IV0', '3.2-IV0', '3.3-IV0', '3.3-IV1', '3.3-IV2', '3.3-IV3', '3.4-IV0', '3.5-IV0', '3.5-IV1',
  '3.5-IV2', '3.6-IV0', '3.6-IV1', '3.6-IV2', '3.7-IV0', '3.7-IV1', '3.7-IV2', '3.7-IV3', '3.7-IV4', '3.8-IV0',
  '3.9-IV0', '4.0-IV0', '4.0-IV1', '4.0-IV2', '4.0-IV3', '4.1-IV0', '4.1-IV1', '4.2-IV0', '4.2-IV1', '4.3-IV0',
] as const;

/** The newest release this table knows; a pinned Kafka newer than this means the table needs its levels. */
export const newestKnownRelease = releaseOf(metadataVersions[metadataVersions.length - 1]!);

/**
 * Newest first: the first release whose marker the broker meets is the lower bound. Each marker
 * is a client API version first served in that release, by ZooKeeper and KRaft brokers alike.
 * (3.4 changed only inter-broker APIs, so a 3.4 broker reads as "at least 3.3".)
 */
const apiMarkers: ReadonlyArray<{ release: string; apiKey: number; name: string; maxVersion: number }> = [
  { release: '4.2', apiKey: 2, name: 'ListOffsets', maxVersion: 11 },
  { release: '4.1', apiKey: 0, name: 'Produce', maxVersion: 13 },
  { release: '4.0', apiKey: 0, name: 'Produce', maxVersion: 12 },
  { release: '3.9', apiKey: 18, name: 'ApiVersions', maxVersion: 4 },
  { release: '3.8', apiKey: 0, name: 'Produce', maxVersion: 11 },
  { release: '3.7', apiKey: 0, name: 'Produce', maxVersion: 10 },
  { release: '3.6', apiKey: 24, name: 'AddPartitionsToTxn', maxVersion: 4 },
  { release: '3.5', apiKey: 1, name: 'Fetch', maxVersion: 15 },
  { release: '3.3', apiKey: 29, name: 'DescribeAcls', maxVersion: 3 },
  { release: '3.2', apiKey: 11, name: 'JoinGroup', maxVersion: 9 },
  { release: '3.1', apiKey: 1, name: 'Fetch', maxVersion: 13 },
  { release: '3.0', apiKey: 2, name: 'ListOffsets', maxVersion: 7 },
  { release: '2.8', apiKey: 0, name: 'Produce', maxVersion: 9 },
  { release: '2.7', apiKey: 1, name: 'Fetch', maxVersion: 12 },
  { release: '2.4', apiKey: 0, name: 'Produce', maxVersion: 8 },
  { release: '2.1', apiKey: 0, name: 'Produce', maxVersion: 7 },
  { release: '2.0', apiKey: 0, name: 'Produce', maxVersion: 6 },
  { release: '1.0', apiKey: 0, name: 'Produce', maxVersion: 5 },
  { release: '0.11', apiKey: 0, name: 'Produce', maxVersion: 3 },
  // ApiVersions itself arrived in 0.10.0: any answer at all means at least that.
  { release: '0.10', apiKey: 18, name: 'ApiVersions', maxVersion: 0 },
];

function releaseOf(metadataVersion: string): string {
  return metadataVersion.split('-')[0]!;
}

/** Pure: the lower bound an ApiVersions answer supports, with the evidence. */
export function kafkaVersionFrom(answer: ApiVersionsAnswer): KafkaVersionGuess {
  const level = answer.supportedFeatures?.find((f) => f.name === 'metadata.version')?.maxVersion;
  if (level !== undefined && level >= 1) {
    const known = metadataVersions[Math.min(level, metadataVersions.length) - 1]!;
    const beyond = level > metadataVersions.length ? `level ${level}, newer than ${known}, the newest this build knows` : `${known} (level ${level})`;
    return {
      state: 'known',
      version: `at least ${releaseOf(known)}`,
      basis: `ApiVersions: the broker supports metadata.version up to ${beyond}`,
    };
  }
  const max = new Map(answer.apiKeys.map((a) => [a.apiKey, a.maxVersion]));
  const marker = apiMarkers.find((m) => (max.get(m.apiKey) ?? -1) >= m.maxVersion);
  if (!marker) {
    return { state: 'unknown', version: 'unknown', reason: 'the broker\'s ApiVersions answer matches no known Kafka release' };
  }
  return {
    state: 'known',
    version: `at least ${marker.release}`,
    basis: `ApiVersions: the broker serves ${marker.name} v${max.get(marker.apiKey)}, first served in Kafka ${marker.release}`,
  };
}

/** Asks the broker and never throws: a broker that will not say is "unknown", with the reason. */
export async function probeKafkaVersion(source: ApiVersionsSource): Promise<KafkaVersionGuess> {
  try {
    return kafkaVersionFrom(await source.apiVersions());
  } catch (error) {
    return { state: 'unknown', version: 'unknown', reason: `ApiVersions failed: ${(error as Error).message}` };
  }
}
