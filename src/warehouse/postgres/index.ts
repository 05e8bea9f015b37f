// The warehouse server's client (issue 21): the primitives the lakehouse serves curated data with.
export { clientConfig, connectWarehouse, postgresAnswers, serverVersion, type ConnectOptions, type WarehouseConnection } from './connect.ts';
export { columnTypes, createTable, createTableSql, type Column, type ColumnType } from './table.ts';
export { copyStatement, copyTextLine, copyTextValue, loadColumns, loadRows, rejectionOf, type LoadResult, type ServerError, type WarehouseRow } from './copy.ts';
export { timedQuery, type TimedResult } from './query.ts';
