// The binary form of a plain span in the worker ring, shared by the application thread's writer
// (worker-span-record.ts) and the worker's line encoder (worker-span-line.ts). Payload: three float64 (timestamp,
// duration, sample rate), six uint32 (string indices, flags), then the ids' ASCII bytes.

/** A string index meaning "no value" (subtype and action are optional). */
export const NONE = 0xffffffff;
export const HAS_SAMPLE_RATE = 1;
/** The transaction and trace ids are those of the previous span record: left out. */
export const SAME_TRANSACTION = 2;
/** The parent is the transaction (a span called straight from the transaction's code): its id is not repeated. */
export const PARENT_IS_TRANSACTION = 4;
export const SHORT_ID = 16;
export const TRACE_ID = 32;
/** float64 indices from the payload's start. */
export const F64_TIMESTAMP = 0;
export const F64_DURATION = 1;
export const F64_SAMPLE_RATE = 2;
/** uint32 indices from the payload's start. */
export const U32_NAME = 6;
export const U32_TYPE = 7;
export const U32_SUBTYPE = 8;
export const U32_ACTION = 9;
export const U32_OUTCOME = 10;
export const U32_FLAGS = 11;
/** Byte offsets of the ids from the payload's start. */
export const ID = 48;
export const PARENT_ID = 64;
export const TRANSACTION_ID = 80;
export const TRACE = 96;
/** Payload bytes without and with the transaction and trace ids. */
export const SHORT_RECORD = 80;
export const FULL_RECORD = 128;
