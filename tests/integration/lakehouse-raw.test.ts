import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { CreateBucketCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { driftCases, EventSource, loadDataset, systemClock } from '../../src/events/index.ts';
import { recordPayload } from '../../src/events/sinks/kafka.ts';
import { createKafkaClient } from '../../src/kafka/client.ts';
import { createKafkaDriver } from '../../src/kafka/driver/index.ts';
import { ensureTopic } from '../../src/kafka/topics.ts';
import { listObjects } from '../../src/lake/list-objects.ts';
import { createS3Client } from '../../src/lake/s3-client.ts';
import { createRawLander } from '../../src/lakehouse/raw-lander.ts';
import { lakehouseRawPrefix, parseLakehouseRawKey } from '../../src/lakehouse/raw-zone.ts';
import { silentLogger } from '../../src/log.ts';

const { kafka: endpoint, s3: s3Endpoint } = inject('services');

describe('the lakehouse raw zone (real Kafka and S3)', () => {
  const s3 = createS3Client(s3Endpoint);
  afterAll(() => s3.destroy());

  it('lands every record as it was sent, drifted and broken ones too, and commits what it landed', async () => {
    const id = randomUUID().slice(0, 8);
    const topic = `it-lakehouse-${id}`;
    const bucket = `it-lakehouse-${id}`;
    const groupId = `it-lakehouse-raw-${id}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const admin = createKafkaClient(endpoint, { clientId: 'it-lakehouse' }).admin();
    await admin.connect();
    try {
      await ensureTopic(admin, topic, 3);
      const profile = { ...(await loadDataset('payments')), drift: driftCases.map((drift) => ({ case: drift, share: 0.05 })) };
      const source = new EventSource(profile, 7);
      const start = systemClock.nowMicros();
      const records = Array.from({ length: 3_000 }, (_, i) => source.next(start + i));
      const sent = records.map(recordPayload);
      const driver = createKafkaDriver('platformatic', endpoint, { clientId: `it-lakehouse-${id}` });
      const producer = await driver.producer();
      await producer.send(topic, records.map((record, i) => ({ key: record.key, value: sent[i]! })));
      await producer.close();

      const failures: unknown[] = [];
      const lander = createRawLander(
        { kafka: driver, s3, bucket, topic, groupId, clock: systemClock, logger: silentLogger, onFatal: (error) => failures.push(error) },
        { flushRecords: 1_000, flushMs: 300 },
      );
      await lander.start();
      for (let waited = 0; lander.stats.lines < sent.length && waited < 20_000; waited += 100) await sleep(100);
      await lander.stop();
      expect(failures).toEqual([]);

      const { objects } = await listObjects(s3, bucket, lakehouseRawPrefix);
      const landed: string[] = [];
      for (const object of objects) {
        const name = parseLakehouseRawKey(object.key);
        expect(name, object.key).toMatchObject({ topic });
        const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: object.key }))).Body!.transformToString();
        const lines = body.split('\n').slice(0, -1);
        // Named by the offsets it holds: one line per offset in its range.
        expect(BigInt(lines.length), object.key).toBe(name!.lastOffset - name!.firstOffset + 1n);
        landed.push(...lines);
      }
      // Schema on read: nothing refused, nothing changed, nothing twice.
      expect(landed.sort()).toEqual([...sent].sort());
      expect(lander.stats).toMatchObject({ lines: sent.length });
      expect(lander.stats.objects.map((object) => object.key).sort()).toEqual(objects.map((object) => object.key).sort());
      // Freshness is taken from every line whose event time can be read, the drifted ones included.
      expect(lander.stats.freshness.totalCount).toBeGreaterThan(sent.length * 0.95);
      expect(lander.stats.freshness.totalCount).toBeLessThanOrEqual(sent.length);

      const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
      const ends = await admin.fetchTopicOffsets(topic);
      expect(committed!.partitions.map((p) => [p.partition, p.offset]).sort()).toEqual(ends.map((p) => [p.partition, p.offset]).sort());
    } finally {
      await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  }, 60_000);
});
