package tierlab.engine.spark;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import tierlab.engine.EventDecoder;
import tierlab.engine.LabEvent;
import tierlab.engine.Micros;
import tierlab.engine.Rule;
import tierlab.engine.WindowAggregate;

/**
 * Per record, inside a Spark task, as the task takes it from Kafka: decode it (a malformed one
 * becomes a dead letter with the decoder's reason), judge its window against the watermark of the
 * last trigger (a window closed longer ago than the allowed lateness makes it a "late" dead
 * letter, as the node micro-batch does), and otherwise turn it into a counted row: its window,
 * amount and one 0/1 column per rule, for Spark to sum. Each row carries when it was read.
 */
final class Decode implements MapPartitionsFunction<Row, Row> {
  static final int COUNTED = 0;
  static final int DEAD = 1;
  /** The generator's send time, as its Kafka sink writes it on every event (src/tiers/intake.ts). */
  static final String SENT_HEADER = "tierlab-sent-us";

  // The columns of a decoded row, in order.
  static final int KIND = 0, ID = 1, KEY = 2, WINDOW_START = 3, SEQ = 4, EVENT_TIME = 5, AMOUNT = 6, SENT = 7, READ = 8, PARTITION = 9, OFFSET = 10,
      REASON = 11, RAW_KEY = 12, RAW_VALUE = 13, FIRST_FLAG = 14;

  private final long windowMs;
  private final long allowedLatenessMicros;
  private final long watermarkMicros;
  /** The rules as JSON: Rule is not Serializable, and a task gets its own copy. */
  private final String rulesJson;

  Decode(long windowMs, long allowedLatenessMicros, long watermarkMicros, String rulesJson) {
    this.windowMs = windowMs;
    this.allowedLatenessMicros = allowedLatenessMicros;
    this.watermarkMicros = watermarkMicros;
    this.rulesJson = rulesJson;
  }

  static StructType schema(int ruleCount) {
    List<StructField> fields = new ArrayList<>(List.of(
        DataTypes.createStructField("kind", DataTypes.IntegerType, false),
        DataTypes.createStructField("id", DataTypes.StringType, true),
        DataTypes.createStructField("key", DataTypes.StringType, true),
        DataTypes.createStructField("windowStart", DataTypes.LongType, true),
        DataTypes.createStructField("seq", DataTypes.LongType, true),
        DataTypes.createStructField("eventTime", DataTypes.LongType, true),
        DataTypes.createStructField("amount", DataTypes.LongType, true),
        DataTypes.createStructField("sent", DataTypes.LongType, true),
        DataTypes.createStructField("read", DataTypes.LongType, true),
        DataTypes.createStructField("partition", DataTypes.IntegerType, false),
        DataTypes.createStructField("offset", DataTypes.LongType, false),
        DataTypes.createStructField("reason", DataTypes.StringType, true),
        DataTypes.createStructField("rawKey", DataTypes.BinaryType, true),
        DataTypes.createStructField("rawValue", DataTypes.BinaryType, true)));
    for (int i = 0; i < ruleCount; i++) fields.add(DataTypes.createStructField(flagColumn(i), DataTypes.LongType, true));
    return DataTypes.createStructType(fields);
  }

  static String flagColumn(int rule) {
    return "flag" + rule;
  }

  static List<Rule> rules(String rulesJson) {
    try {
      return new ObjectMapper().readValue(rulesJson, new TypeReference<List<Rule>>() {});
    } catch (Exception e) {
      throw new IllegalArgumentException("the rules are not a list of rules: " + rulesJson, e);
    }
  }

  /** Lazily, so that a record's read time is when the task takes it from the Kafka source. */
  @Override
  public Iterator<Row> call(Iterator<Row> records) {
    List<Rule> rules = rules(rulesJson);
    EventDecoder decoder = new EventDecoder();
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return records.hasNext();
      }

      @Override
      public Row next() {
        return decode(records.next(), rules, decoder);
      }
    };
  }

  /** One Kafka source row (key, value, partition, offset, timestamp, headers) as a decoded row. */
  private Row decode(Row record, List<Rule> rules, EventDecoder decoder) {
    long readMicros = Micros.now();
    byte[] rawKey = record.getAs("key");
    byte[] rawValue = record.getAs("value");
    int partition = record.<Integer>getAs("partition");
    long offset = record.<Long>getAs("offset");
    LabEvent event;
    try {
      event = decoder.decode(rawValue, readMicros);
    } catch (EventDecoder.Rejected rejected) {
      return dead(rules.size(), partition, offset, rejected.getMessage(), rawKey, rawValue);
    }
    long windowStart = WindowAggregate.windowStartOf(event.eventTimeMicros(), windowMs);
    long windowEnd = windowStart + windowMs * 1000;
    if (windowEnd + allowedLatenessMicros <= watermarkMicros) {
      String reason = "late: window ended " + Math.round((watermarkMicros - windowEnd) / 1000d) + " ms before the watermark";
      return dead(rules.size(), partition, offset, reason, rawKey, rawValue);
    }
    Object[] values = new Object[FIRST_FLAG + rules.size()];
    values[KIND] = COUNTED;
    values[ID] = WindowAggregate.id(event.key(), windowStart);
    values[KEY] = event.key();
    values[WINDOW_START] = windowStart;
    values[SEQ] = event.seq();
    values[EVENT_TIME] = event.eventTimeMicros();
    values[AMOUNT] = event.amountCents();
    values[SENT] = sentMicros(record);
    values[READ] = readMicros;
    values[PARTITION] = partition;
    values[OFFSET] = offset;
    for (int i = 0; i < rules.size(); i++) values[FIRST_FLAG + i] = rules.get(i).matches(event) ? 1L : 0L;
    return RowFactory.create(values);
  }

  private static Row dead(int ruleCount, int partition, long offset, String reason, byte[] rawKey, byte[] rawValue) {
    Object[] values = new Object[FIRST_FLAG + ruleCount];
    values[KIND] = DEAD;
    values[ID] = partition + "@" + offset;
    values[PARTITION] = partition;
    values[OFFSET] = offset;
    values[REASON] = reason;
    values[RAW_KEY] = rawKey;
    values[RAW_VALUE] = rawValue;
    return RowFactory.create(values);
  }

  /** The generator's send time from the record's header, else the record's timestamp (ms): coarser but honest. */
  private static long sentMicros(Row record) {
    int headersAt = record.fieldIndex("headers");
    if (!record.isNullAt(headersAt)) {
      List<Row> headers = record.getList(headersAt);
      for (int i = headers.size() - 1; i >= 0; i--) {
        Row header = headers.get(i);
        if (SENT_HEADER.equals(header.getString(0)) && header.get(1) != null) {
          return Long.parseLong(new String((byte[]) header.get(1), StandardCharsets.UTF_8));
        }
      }
    }
    return record.getTimestamp(record.fieldIndex("timestamp")).getTime() * 1000;
  }
}
