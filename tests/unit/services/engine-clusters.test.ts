import { describe, expect, it } from 'vitest';
import { engineClustersFrom } from '../../../src/services/engine-clusters.ts';

describe('engine clusters from the environment (FLINK_REST_URL)', () => {
  it('takes the JobManager REST endpoint as http(s)://host:port, or none', () => {
    expect(engineClustersFrom({})).toEqual({});
    expect(engineClustersFrom({ FLINK_REST_URL: ' ' })).toEqual({});
    expect(engineClustersFrom({ FLINK_REST_URL: 'http://flink-jobmanager:8081/' })).toEqual({ flinkRestUrl: 'http://flink-jobmanager:8081' });
  });

  it('refuses what is not one, naming the value', () => {
    expect(() => engineClustersFrom({ FLINK_REST_URL: 'flink:8081' })).toThrow('FLINK_REST_URL "flink:8081" must be http://host:port');
    expect(() => engineClustersFrom({ FLINK_REST_URL: 'http://flink' })).toThrow('FLINK_REST_URL "http://flink" must be http://host:port');
    expect(() => engineClustersFrom({ FLINK_REST_URL: 'http://flink:8081/jobs' })).toThrow('must be http://host:port');
    expect(() => engineClustersFrom({ FLINK_REST_URL: 'not a url' })).toThrow('FLINK_REST_URL "not a url" is not a URL');
  });

  it('takes a standalone Spark master, and refuses anything else naming it (SPARK_MASTER)', () => {
    expect(engineClustersFrom({ SPARK_MASTER: 'spark://spark-master:7077' })).toEqual({ sparkMaster: 'spark://spark-master:7077' });
    expect(engineClustersFrom({ SPARK_MASTER: 'spark://a:7077,b:7077', FLINK_REST_URL: 'http://f:8081' })).toEqual({ sparkMaster: 'spark://a:7077,b:7077', flinkRestUrl: 'http://f:8081' });
    for (const bad of ['local[2]', 'k8s://https://api:443', 'spark://master', 'yarn']) {
      expect(() => engineClustersFrom({ SPARK_MASTER: bad })).toThrow(`SPARK_MASTER "${bad}" must be spark://host:port`);
    }
  });
});
