package tierlab.engine.iceberg;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * The column types a curated field can have, fixed by the first value the table sees in it. A JSON
 * value fits a column only as its type: a whole number fits a double column (widening loses no
 * meaning), but a string never fits a number column, nor a fraction a long one. Iceberg itself cannot
 * promote long to double or to string, so such a value is a type change and its line a dead letter.
 */
enum ColumnType {
  LONG("long", Types.LongType.get()),
  DOUBLE("double", Types.DoubleType.get()),
  STRING("string", Types.StringType.get()),
  BOOLEAN("boolean", Types.BooleanType.get()),
  /** The partition source, derived from eventTimeMicros (Columns.EVENT_TIME): no raw field fits it. */
  TIMESTAMP("timestamp derived from eventTimeMicros", Types.TimestampType.withZone());

  final String label;
  final Type iceberg;

  ColumnType(String label, Type iceberg) {
    this.label = label;
    this.iceberg = iceberg;
  }

  /** The column a new field's first value makes; null for a JSON null, which says nothing of its type. */
  static ColumnType of(JsonNode value) {
    if (value.isTextual()) return STRING;
    if (value.isBoolean()) return BOOLEAN;
    if (value.isIntegralNumber() && value.canConvertToLong()) return LONG;
    if (value.isNumber()) return DOUBLE;
    return null;
  }

  static ColumnType of(Type type) {
    for (ColumnType column : values()) {
      if (column.iceberg.equals(type)) return column;
    }
    throw new IllegalArgumentException("the curated table has a column of a type the curation does not write: " + type);
  }

  /** The value as Spark's row holds it for this column, or null when it does not fit (a type change). */
  Object convert(JsonNode value) {
    return switch (this) {
      case LONG -> value.isIntegralNumber() && value.canConvertToLong() ? (Object) value.longValue() : null;
      case DOUBLE -> value.isNumber() ? (Object) value.doubleValue() : null;
      case STRING -> value.isTextual() ? value.textValue() : null;
      case BOOLEAN -> value.isBoolean() ? (Object) value.booleanValue() : null;
      case TIMESTAMP -> null;
    };
  }

  /** How a JSON value is named in a reason: its JSON type and, shortened, its text. */
  static String describe(JsonNode value) {
    String text = value.toString();
    if (text.length() > 40) text = text.substring(0, 40) + "…";
    String kind = value.isTextual() ? "string" : value.isBoolean() ? "boolean" : value.isNumber() ? "number" : value.isObject() ? "object" : value.isArray() ? "array" : "null";
    return kind + " " + text;
  }
}
