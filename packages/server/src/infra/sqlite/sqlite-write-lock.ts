/**
 * A statement that takes the write lock of the connection's main database file and changes
 * nothing (every embedded file that has consumers keeps their offsets in `consumer_offsets`).
 * Run first in a deferred transaction, it waits for that lock under `busy_timeout`, as
 * `BEGIN IMMEDIATE` would, but locks no attached file: `BEGIN IMMEDIATE` takes the write lock
 * of every file attached to the connection, so the store step and identity resolution would
 * wait for each other. A read before the first write would instead fail at once with
 * SQLITE_BUSY when another connection committed in between.
 */
export const TAKE_MAIN_WRITE_LOCK = `UPDATE main.consumer_offsets SET "offset" = "offset" WHERE 0`
