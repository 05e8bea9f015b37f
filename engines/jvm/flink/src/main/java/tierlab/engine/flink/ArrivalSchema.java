package tierlab.engine.flink;

import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kafka.source.reader.deserializer.KafkaRecordDeserializationSchema;
import org.apache.flink.util.Collector;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import tierlab.engine.Micros;

/** Takes each Kafka record as it is (decoding is the next operator's), with where it came from and when it was read. */
final class ArrivalSchema implements KafkaRecordDeserializationSchema<Arrival> {
  /** The generator's send time, as its Kafka sink writes it on every event (src/tiers/intake.ts). */
  static final String SENT_HEADER = "tierlab-sent-us";

  @Override
  public void deserialize(ConsumerRecord<byte[], byte[]> record, Collector<Arrival> out) {
    Arrival arrival = new Arrival();
    arrival.readMicros = Micros.now();
    arrival.key = record.key();
    arrival.value = record.value();
    arrival.partition = record.partition();
    arrival.offset = record.offset();
    Header sent = record.headers().lastHeader(SENT_HEADER);
    // Else the producer's create time, ms: coarser but honest.
    arrival.sentMicros = sent != null ? Long.parseLong(new String(sent.value(), StandardCharsets.UTF_8)) : record.timestamp() * 1000;
    out.collect(arrival);
  }

  @Override
  public TypeInformation<Arrival> getProducedType() {
    return TypeInformation.of(Arrival.class);
  }
}
